<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AddSignalDialog</name>
    <message>
        <source>Give the signal a title.</source>
        <translation>请填写预警信号的标题。</translation>
    </message>
    <message>
        <source>Add a warning signal</source>
        <translation>添加预警信号</translation>
    </message>
    <message>
        <source>&amp;Category:</source>
        <translation>类别(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Severity:</source>
        <translation>级别(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>标题(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>说明(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Event: propose a special inspection</source>
        <translation>事件：建议进行专项检查(&amp;E)</translation>
    </message>
    <message>
        <source>The legal representative died, was detained or absconded; litigation; a news item. A special inspection stays due until one is done.</source>
        <translation>法定代表人死亡、被羁押或出逃，涉诉，或有相关新闻报道。专项检查完成前一直列为应检查事项。</translation>
    </message>
</context>
<context>
    <name>ApproveDialog</name>
    <message>
        <source>The visit was not approved: {error}</source>
        <translation>未能认定：{error}</translation>
    </message>
    <message>
        <source>Say why the classification differs from the officer&apos;s.</source>
        <translation>请说明认定分类与客户经理不同的理由。</translation>
    </message>
    <message>
        <source>Write your review opinion.</source>
        <translation>请填写复核意见。</translation>
    </message>
    <message>
        <source>Approve and countersign</source>
        <translation>签字认定</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>复核结论</translation>
    </message>
    <message>
        <source>The officer concludes: {officers} (current: {current}; the rules recommend {recommended})</source>
        <translation>客户经理结论：{officers}（现行分类：{current}；规则建议：{recommended}）</translation>
    </message>
    <message>
        <source>&amp;Final classification:</source>
        <translation>认定分类(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Why changed:</source>
        <translation>调整理由(&amp;W)：</translation>
    </message>
    <message>
        <source>Required: why you classify differently from the officer</source>
        <translation>必填：为何与客户经理的分类不同</translation>
    </message>
    <message>
        <source>Review &amp;opinion:</source>
        <translation>复核意见(&amp;o)：</translation>
    </message>
    <message>
        <source>Printed in the report&apos;s review block</source>
        <translation>将打印在报告的复核确认栏中</translation>
    </message>
    <message>
        <source>&amp;Approve and countersign</source>
        <translation>签字认定(&amp;A)</translation>
    </message>
</context>
<context>
    <name>AuditWindow</name>
    <message>
        <source>audit-trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Borrower code:</source>
        <translation>客户编号(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;Visit ID:</source>
        <translation>检查记录编号(&amp;V)：</translation>
    </message>
    <message>
        <source>&amp;Action:</source>
        <translation>操作(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>起始日期(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>截止日期(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>查询(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Reset filters</source>
        <translation>清除条件(&amp;R)</translation>
    </message>
    <message>
        <source>◂ &amp;Newer</source>
        <translation>◂ 较新(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Older ▸</source>
        <translation>较早(&amp;O) ▸</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Borrower</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>检查记录</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>The start date is after the end date.</source>
        <translation>开始日期晚于结束日期。</translation>
    </message>
    <message>
        <source>Asking headquarters…</source>
        <translation>正在查询总行…</translation>
    </message>
    <message>
        <source>Page {n}: {count} entries, newest first.</source>
        <translation>第 {n} 页：{count} 条，最新的在前。</translation>
    </message>
    <message>
        <source>No entries match.</source>
        <translation>没有符合条件的记录。</translation>
    </message>
</context>
<context>
    <name>BankDashboardWindow</name>
    <message>
        <source>Asking headquarters…</source>
        <translation>正在查询总行…</translation>
    </message>
    <message>
        <source>{scope}: {borrowers} borrowers; {overdue} inspections overdue, {within_7} due within 7 days, {within_30} in 8–30 days.</source>
        <translation>{scope}：借款人 {borrowers} 户；检查逾期 {overdue} 户，7 天内到期 {within_7} 户，8–30 天内到期 {within_30} 户。</translation>
    </message>
    <message>
        <source> The charts show the last figures read.</source>
        <translation>图表显示的是上次读取的数据。</translation>
    </message>
    <message>
        <source>Branch: {name}</source>
        <translation>支行：{name}</translation>
    </message>
    <message>
        <source>Team of {name}</source>
        <translation>{name}的部门</translation>
    </message>
    <message>
        <source>Bank dashboard</source>
        <translation>全行看板</translation>
    </message>
    <message>
        <source>R&amp;ows:</source>
        <translation>行(&amp;o)：</translation>
    </message>
    <message>
        <source>Officers</source>
        <translation>按客户经理</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>按部门</translation>
    </message>
    <message>
        <source>Branches</source>
        <translation>按支行</translation>
    </message>
    <message>
        <source>Par&amp;t of the bank:</source>
        <translation>范围(&amp;t)：</translation>
    </message>
    <message>
        <source>Whole bank</source>
        <translation>全行</translation>
    </message>
</context>
<context>
    <name>BorrowerVisitsDialog</name>
    <message>
        <source>Approve the visit of {date} and countersign its report.</source>
        <translation>认定 {date} 的检查，并在报告上复核签署。</translation>
    </message>
    <message>
        <source>The visits could not be loaded: {error}</source>
        <translation>无法读取检查记录：{error}</translation>
    </message>
    <message>
        <source>Preparing the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>The report could not be prepared: {error}</source>
        <translation>无法生成报告：{error}</translation>
    </message>
    <message>
        <source>No certificate</source>
        <translation>没有证书</translation>
    </message>
    <message>
        <source>You have not imported a signing certificate on this laptop yet. Import it now?</source>
        <translation>您还没有在本机导入签名证书。现在导入吗？</translation>
    </message>
    <message>
        <source>Sign the report of the visit of {date}.</source>
        <translation>签署 {date} 检查的报告。</translation>
    </message>
    <message>
        <source>Signing the report…</source>
        <translation>正在签署报告…</translation>
    </message>
    <message>
        <source>Report signed</source>
        <translation>报告已签署</translation>
    </message>
    <message>
        <source>Countersigning the report…</source>
        <translation>正在复核签署报告…</translation>
    </message>
    <message>
        <source>Visit approved</source>
        <translation>检查已认定</translation>
    </message>
    <message>
        <source>{borrower}, visit of {date}</source>
        <translation>{borrower} {date} 检查</translation>
    </message>
    <message>
        <source>The report is signed and kept.</source>
        <translation>报告已签署并保存。</translation>
    </message>
    <message>
        <source>The visit is approved and its report countersigned.</source>
        <translation>检查已认定，报告已复核签署。</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>检查日期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>检查类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <source>No visits recorded for this borrower yet.</source>
        <translation>该客户还没有检查记录。</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>检查记录</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Visits: {name}</source>
        <translation>检查记录：{name}</translation>
    </message>
    <message>
        <source>{name} ({code})</source>
        <translation>{name}（{code}）</translation>
    </message>
</context>
<context>
    <name>BriefDialog</name>
    <message>
        <source>Brief</source>
        <translation>访前准备</translation>
    </message>
    <message>
        <source>Save brief as PDF</source>
        <translation>将访前准备另存为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Could not load the brief: {error}</source>
        <translation>无法加载访前准备：{error}</translation>
    </message>
    <message>
        <source>Preparing the brief…</source>
        <translation>正在生成访前准备…</translation>
    </message>
    <message>
        <source>Could not print the brief: {error}</source>
        <translation>无法打印访前准备：{error}</translation>
    </message>
    <message>
        <source>The brief was sent to the printer.</source>
        <translation>访前准备已发送到打印机。</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>已保存到 {path}</translation>
    </message>
    <message>
        <source>Could not write the brief: {error}</source>
        <translation>无法保存访前准备：{error}</translation>
    </message>
    <message>
        <source>Pre-visit brief — {name}</source>
        <translation>访前准备 — {name}</translation>
    </message>
    <message>
        <source>Pre-visit brief</source>
        <translation>访前准备</translation>
    </message>
    <message>
        <source>&amp;Print brief…</source>
        <translation>打印访前准备(&amp;P)…</translation>
    </message>
    <message>
        <source>Save as P&amp;DF…</source>
        <translation>另存为 PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Visits and reports</source>
        <translation>检查记录与报告(&amp;V)</translation>
    </message>
    <message>
        <source>S&amp;tart visit…</source>
        <translation>开始检查(&amp;t)…</translation>
    </message>
    <message>
        <source>&amp;Revise…</source>
        <translation>修订(&amp;R)…</translation>
    </message>
    <message>
        <source>Make a new draft revision of the returned visit and answer the supervisor&apos;s comments</source>
        <translation>为退回的检查创建新的草稿版本，逐条回应主管的意见</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
</context>
<context>
    <name>BriefHtml</name>
    <message>
        <source>Not scheduled</source>
        <translation>未排定</translation>
    </message>
    <message>
        <source>Customer no.</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>客户类型</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>所属行业</translation>
    </message>
    <message>
        <source>ID / credit code</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Risk classification</source>
        <translation>风险分类</translation>
    </message>
    <message>
        <source>Loans in all</source>
        <translation>贷款合计</translation>
    </message>
    <message>
        <source>Outstanding</source>
        <translation>余额</translation>
    </message>
    <message>
        <source>Credit officer</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>经办机构</translation>
    </message>
    <message>
        <source>Next inspection</source>
        <translation>下次检查</translation>
    </message>
    <message>
        <source>Pre-visit brief, prepared on {date}</source>
        <translation>访前准备，编制日期 {date}</translation>
    </message>
    <message numerus="yes">
        <source>Returned: %n comment(s)</source>
        <translation>
            <numerusform>已退回：%n 条意见</numerusform>
        </translation>
    </message>
    <message>
        <source>Loans</source>
        <translation>贷款</translation>
    </message>
    <message>
        <source>No loans.</source>
        <translation>无贷款。</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Loans (repayment data as of {date})</source>
        <translation>贷款（还款数据截至 {date}）</translation>
    </message>
    <message>
        <source>Outstanding balance</source>
        <translation>贷款余额</translation>
    </message>
    <message>
        <source>Related parties</source>
        <translation>关联方</translation>
    </message>
    <message>
        <source>No related parties.</source>
        <translation>无关联方。</translation>
    </message>
    <message>
        <source>No open red or orange signal</source>
        <translation>无未解除的红色或橙色预警</translation>
    </message>
    <message>
        <source>Named by {n} borrowers</source>
        <translation>{n} 户借款人指认</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>关联方名称</translation>
    </message>
    <message>
        <source>Signals</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Inspections due</source>
        <translation>应检查事项</translation>
    </message>
    <message>
        <source>Due by</source>
        <translation>应检查日期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>检查类型</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Loans (no repayment data yet)</source>
        <translation>贷款（尚无还款数据）</translation>
    </message>
    <message>
        <source>Contract no. / type</source>
        <translation>合同编号 / 品种</translation>
    </message>
    <message>
        <source>Disbursed / matures</source>
        <translation>起止日期</translation>
    </message>
    <message>
        <source>Days past due</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Interest arrears</source>
        <translation>欠息</translation>
    </message>
    <message>
        <source>Collateral register</source>
        <translation>抵质押物登记</translation>
    </message>
    <message>
        <source>No collateral.</source>
        <translation>无抵质押物。</translation>
    </message>
    <message>
        <source>short {percent}%</source>
        <translation>短少{percent}%</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Appraised</source>
        <translation>评估价值</translation>
    </message>
    <message>
        <source>Pledged</source>
        <translation>抵押价值</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>权证</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>上次检查所见</translation>
    </message>
    <message>
        <source>Guarantors</source>
        <translation>保证人</translation>
    </message>
    <message>
        <source>No guarantors.</source>
        <translation>无保证人。</translation>
    </message>
    <message>
        <source>Guarantor</source>
        <translation>保证人</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Guaranteed</source>
        <translation>担保金额</translation>
    </message>
    <message>
        <source>Last visit: findings and measures</source>
        <translation>上次检查发现及措施</translation>
    </message>
    <message>
        <source>No completed visit yet.</source>
        <translation>尚无已完成的检查。</translation>
    </message>
    <message>
        <source>{date}, {kind}, {status}, by {officer}</source>
        <translation>{date}，{kind}，{status}，检查人 {officer}</translation>
    </message>
    <message>
        <source>classified {classification}</source>
        <translation>分类：{classification}</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>检查内容</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>情况说明</translation>
    </message>
    <message>
        <source>No abnormal answers.</source>
        <translation>无异常答案。</translation>
    </message>
    <message>
        <source>General findings</source>
        <translation>总体情况</translation>
    </message>
    <message>
        <source>Measures to follow up</source>
        <translation>需跟进的处置措施</translation>
    </message>
    <message>
        <source>Open risk warning signals</source>
        <translation>未解除的风险预警信号</translation>
    </message>
    <message>
        <source>No open signals.</source>
        <translation>无未解除的预警信号。</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Signal</source>
        <translation>预警内容</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>发起日期</translation>
    </message>
</context>
<context>
    <name>CertificatePasswordDialog</name>
    <message>
        <source>Certificate password</source>
        <translation>证书密码</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Certificate: {holder}, valid until {end}</source>
        <translation>证书：{holder}，有效期至 {end}</translation>
    </message>
</context>
<context>
    <name>CertificateSettingsDialog</name>
    <message>
        <source>Checking the certificate…</source>
        <translation>正在检查证书…</translation>
    </message>
    <message>
        <source>Choose your certificate file</source>
        <translation>选择您的证书文件</translation>
    </message>
    <message>
        <source>PKCS#12 certificates (*.p12 *.pfx);;All files (*)</source>
        <translation>PKCS#12 证书 (*.p12 *.pfx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the trusted root certificate</source>
        <translation>选择受信任的根证书</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer *.der);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer *.der);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Certificate imported.</source>
        <translation>证书已导入。</translation>
    </message>
    <message>
        <source>Trusted root certificate imported.</source>
        <translation>受信任的根证书已导入。</translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>证书设置</translation>
    </message>
    <message>
        <source>My signing certificate ({name})</source>
        <translation>我的签名证书（{name}）</translation>
    </message>
    <message>
        <source>Holder:</source>
        <translation>持有人：</translation>
    </message>
    <message>
        <source>Issued by:</source>
        <translation>颁发者：</translation>
    </message>
    <message>
        <source>Valid:</source>
        <translation>有效期：</translation>
    </message>
    <message>
        <source>Certificate &amp;file:</source>
        <translation>证书文件(&amp;f)：</translation>
    </message>
    <message>
        <source>A .p12 or .pfx file from the bank</source>
        <translation>银行颁发的 .p12 或 .pfx 文件</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>The password only proves the file opens; it is not stored. You type it again each time you sign.</source>
        <translation>密码只用于确认文件能够打开，不会保存；每次签署时需再次输入。</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Trusted root certificate</source>
        <translation>受信任的根证书</translation>
    </message>
    <message>
        <source>Certificate:</source>
        <translation>证书：</translation>
    </message>
    <message>
        <source>Import &amp;root certificate…</source>
        <translation>导入根证书(&amp;r)…</translation>
    </message>
    <message>
        <source>No certificate imported yet. Import the .p12 or .pfx file the bank issued you to sign reports on this laptop.</source>
        <translation>还没有导入证书。请导入银行为您颁发的 .p12 或 .pfx 文件，以便在本机签署报告。</translation>
    </message>
    <message>
        <source>A certificate is imported, but its details cannot be read. Import it again.</source>
        <translation>已导入证书，但无法读取证书信息。请重新导入。</translation>
    </message>
    <message>
        <source>Imported; used when you sign reports.</source>
        <translation>已导入，签署报告时使用。</translation>
    </message>
    <message>
        <source>None imported: signatures are checked for changes, but the signers&apos; certificates are not checked against the bank&apos;s root.</source>
        <translation>尚未导入：验证签名时只检查报告是否被改动，不核对签署人的证书是否由本行根证书颁发。</translation>
    </message>
    <message>
        <source>Signatures are checked against this root.</source>
        <translation>验证签名时以此根证书核对签署人的证书。</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>{dates} (expired)</source>
        <translation>{dates}（已过期）</translation>
    </message>
    <message>
        <source>{dates} (expires soon)</source>
        <translation>{dates}（即将过期）</translation>
    </message>
</context>
<context>
    <name>ChecklistPage</name>
    <message>
        <source>answer “{question}”</source>
        <translation>回答“{question}”</translation>
    </message>
    <message>
        <source>note on “{question}”</source>
        <translation>“{question}”的情况说明</translation>
    </message>
    <message>
        <source>Could not load the answers: {error}</source>
        <translation>无法读取答案：{error}</translation>
    </message>
    <message>
        <source>Attach photo</source>
        <translation>附加照片</translation>
    </message>
    <message>
        <source>Attaching photos from here is not available yet; use the Photos page.</source>
        <translation>暂不能在此处附加照片，请到“照片”页添加。</translation>
    </message>
</context>
<context>
    <name>CollateralPage</name>
    <message>
        <source>Collateral</source>
        <translation>抵质押物</translation>
    </message>
    <message>
        <source>not yet recorded</source>
        <translation>尚未记录</translation>
    </message>
    <message>
        <source>short {percent}%</source>
        <translation>短少{percent}%</translation>
    </message>
    <message>
        <source>Supervisor&apos;s comment: {text}</source>
        <translation>主管意见：{text}</translation>
    </message>
    <message>
        <source>Collateral “{item}”</source>
        <translation>抵质押物「{item}」</translation>
    </message>
    <message>
        <source>The borrower&apos;s collateral register. Select an item and record what you found on site; every change is saved at once.</source>
        <translation>借款人的抵质押物登记。选择一项，记录现场所见；每项修改立即保存。</translation>
    </message>
    <message>
        <source>&amp;Add item found on site…</source>
        <translation>添加现场发现的抵质押物(&amp;A)…</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>种类</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>名称及描述</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>存放地点</translation>
    </message>
    <message>
        <source>Appraised value</source>
        <translation>评估价值</translation>
    </message>
    <message>
        <source>Status observed</source>
        <translation>现场状态</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>现值估计</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变动</translation>
    </message>
</context>
<context>
    <name>CommentBox</name>
    <message>
        <source>Your comment:</source>
        <translation>您的意见：</translation>
    </message>
    <message>
        <source>Supervisor {name}&apos;s comment:</source>
        <translation>主管 {name} 的意见：</translation>
    </message>
    <message>
        <source>Supervisor&apos;s comment:</source>
        <translation>主管意见：</translation>
    </message>
    <message>
        <source>Edit comment…</source>
        <translation>修改意见…</translation>
    </message>
    <message>
        <source>Comment…</source>
        <translation>添加意见…</translation>
    </message>
    <message>
        <source>A comment on this item for the officer, sent with the return</source>
        <translation>对此项的意见，随退回一并交给客户经理</translation>
    </message>
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <source>At most {n} characters; this is {m}.</source>
        <translation>最多 {n} 个字，现有 {m} 个字。</translation>
    </message>
    <message>
        <source>The officer reads this at the item when the visit is returned. Leave it empty to remove the comment.</source>
        <translation>退回后客户经理会在该项旁看到这条意见。清空即删除此意见。</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Your comment on {item}:</source>
        <translation>您对“{item}”的意见：</translation>
    </message>
    <message>
        <source>Your comment:</source>
        <translation>您的意见：</translation>
    </message>
</context>
<context>
    <name>CommentsPage</name>
    <message numerus="yes">
        <source>Supervisor&apos;s comments (%n)</source>
        <translation>
            <numerusform>主管意见（%n）</numerusform>
        </translation>
    </message>
    <message>
        <source>Supervisor&apos;s comments</source>
        <translation>主管意见</translation>
    </message>
    <message>
        <source>That item is not in this revision of the visit; the comment is for your information.</source>
        <translation>该项已不在本版本的检查中，此意见仅供参考。</translation>
    </message>
    <message>
        <source>Enter or double-click: go to the item</source>
        <translation>回车或双击：转到该项</translation>
    </message>
    <message>
        <source>No comments from a supervisor on this visit.</source>
        <translation>此检查没有主管意见。</translation>
    </message>
    <message>
        <source>Returned by {name} on {when}. The comment on the whole visit:</source>
        <translation>{name} 于 {when} 退回了此检查。整体意见：</translation>
    </message>
    <message>
        <source>The previous revision was returned by {name} on {when}. The comment on the whole visit:</source>
        <translation>上一版本由 {name} 于 {when} 退回。整体意见：</translation>
    </message>
    <message>
        <source>Each comment below is on one item; go to it, correct it, then complete and sign the visit again.</source>
        <translation>以下每条意见针对一个具体项目：转到该项修改，然后重新完成检查并签名。</translation>
    </message>
    <message>
        <source>No comments on single items.</source>
        <translation>没有针对具体项目的意见。</translation>
    </message>
    <message>
        <source>&amp;Go to item</source>
        <translation>转到该项(&amp;G)</translation>
    </message>
    <message>
        <source>A checklist item</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>A photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>A collateral item</source>
        <translation>抵质押物</translation>
    </message>
    <message>
        <source>A signal</source>
        <translation>预警信号</translation>
    </message>
    <message>
        <source>An item</source>
        <translation>检查内容</translation>
    </message>
</context>
<context>
    <name>CompletionPage</name>
    <message>
        <source>Completion check</source>
        <translation>完成检查</translation>
    </message>
    <message>
        <source>Status of this visit: {status}.</source>
        <translation>本次检查状态：{status}。</translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) still missing</source>
        <translation>
            <numerusform>尚有 %n 项未完成</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is missing: the visit can be completed.</source>
        <translation>所有内容均已填写，可以完成本次检查。</translation>
    </message>
    <message>
        <source>The visit is marked as completed. You can now sign its report.</source>
        <translation>本次检查已标记为完成，现在可以签署检查报告。</translation>
    </message>
    <message>
        <source>The report is signed and kept. The visit goes to headquarters for review at the next sync.</source>
        <translation>报告已签署并保存。本次检查将在下次同步时提交总行复核。</translation>
    </message>
    <message>
        <source>Click a line (or select it and press Enter) to go where it is filled in.</source>
        <translation>单击某一行（或选中后按回车键）即可跳转到填写位置。</translation>
    </message>
    <message>
        <source>&amp;Mark as completed</source>
        <translation>标记为已完成(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Sign report…</source>
        <translation>签署报告(&amp;S)…</translation>
    </message>
    <message>
        <source>Preview the report, sign it by hand and with your certificate; a draft is marked as completed first</source>
        <translation>预览报告，手写签名并用证书签署；草稿会先标记为已完成</translation>
    </message>
</context>
<context>
    <name>ConclusionPage</name>
    <message>
        <source>Conclusion</source>
        <translation>检查结论</translation>
    </message>
    <message>
        <source>&amp;Override reason (required):</source>
        <translation>调整理由(&amp;O)（必填）：</translation>
    </message>
    <message>
        <source>&amp;Override reason:</source>
        <translation>调整理由(&amp;O)：</translation>
    </message>
    <message>
        <source>The recommendation is used unless you choose another classification.</source>
        <translation>如不另行选择，将采用建议分类。</translation>
    </message>
    <message>
        <source>Differs from the recommended {recommended}: write the reason below.</source>
        <translation>与建议分类“{recommended}”不同：请在下方填写理由。</translation>
    </message>
    <message>
        <source>Same as the recommendation.</source>
        <translation>与建议分类一致。</translation>
    </message>
    <message>
        <source>The policy allows {low} to {high}; suggested: {high}.</source>
        <translation>检查政策允许的日期为 {low} 至 {high}；建议：{high}。</translation>
    </message>
    <message>
        <source>Not set yet.</source>
        <translation>尚未确定。</translation>
    </message>
    <message>
        <source>The date set, {date}, is outside this range now; choose a new one.</source>
        <translation>已确定的日期 {date} 已超出上述范围，请重新选择。</translation>
    </message>
    <message>
        <source>{kind} due by {date}: {reason}</source>
        <translation>{date}前须进行{kind}：{reason}</translation>
    </message>
    <message>
        <source>Classification {name}</source>
        <translation>分类：{name}</translation>
    </message>
    <message>
        <source>Override reason</source>
        <translation>调整理由</translation>
    </message>
    <message>
        <source>Measures proposed</source>
        <translation>拟采取措施</translation>
    </message>
    <message>
        <source>Next inspection date</source>
        <translation>下次检查日期</translation>
    </message>
    <message>
        <source>Write the reason; the classification is saved with it.</source>
        <translation>请填写理由，分类将与理由一并保存。</translation>
    </message>
    <message>
        <source>Current classification:</source>
        <translation>当前分类：</translation>
    </message>
    <message>
        <source>Recommended:</source>
        <translation>建议分类：</translation>
    </message>
    <message>
        <source>&amp;Final classification:</source>
        <translation>认定分类(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Measures proposed:</source>
        <translation>拟采取措施(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Next inspection:</source>
        <translation>下次检查(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Use the suggested date</source>
        <translation>采用建议日期(&amp;U)</translation>
    </message>
    <message>
        <source>What the bank should do: rectification, more frequent checks, additional collateral…</source>
        <translation>银行拟采取的措施：督促整改、增加检查频次、追加担保…</translation>
    </message>
</context>
<context>
    <name>CountsBar</name>
    <message>
        <source>Overdue: {n}</source>
        <translation>逾期：{n}</translation>
    </message>
    <message>
        <source>Due this week: {n}</source>
        <translation>本周到期：{n}</translation>
    </message>
    <message>
        <source>Drafts not signed: {n}</source>
        <translation>未签署：{n}</translation>
    </message>
    <message>
        <source>Not synced: {n}</source>
        <translation>未同步：{n}</translation>
    </message>
    <message>
        <source>Awaiting review: {n}</source>
        <translation>待复核：{n}</translation>
    </message>
    <message>
        <source>Show only the borrowers whose inspection is overdue</source>
        <translation>只显示检查已逾期的借款人</translation>
    </message>
    <message>
        <source>Show only the borrowers whose inspection is due in the coming {days} days</source>
        <translation>只显示未来 {days} 天内到期检查的借款人</translation>
    </message>
    <message>
        <source>Submitted visits no supervisor has approved or returned yet; click to show their borrowers</source>
        <translation>已提交、主管尚未认定或退回的检查；点击只显示这些借款人</translation>
    </message>
    <message>
        <source>Your visits in draft or completed, not yet signed; click to show their borrowers</source>
        <translation>草稿或已完成、尚未签署的检查；点击只显示这些借款人</translation>
    </message>
    <message>
        <source>Visits and photos headquarters has not received yet; click to sync</source>
        <translation>总行尚未收到的检查和照片；点击进行同步</translation>
    </message>
</context>
<context>
    <name>DateInput</name>
    <message>
        <source>e.g. 2026-11-20</source>
        <translation>例如 2026-11-20</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>日历</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
</context>
<context>
    <name>DiffPage</name>
    <message>
        <source>What changed</source>
        <translation>修改对比</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>★ commented</source>
        <translation>★ 有意见</translation>
    </message>
    <message>
        <source>Revision {before} was returned; this is revision {after}. Double-click a line to see it in the visit.</source>
        <translation>第 {before} 版已退回，这是第 {after} 版。双击一行可在检查记录中查看。</translation>
    </message>
    <message>
        <source>Nothing changed between revision {before} and revision {after}.</source>
        <translation>第 {before} 版与第 {after} 版之间没有变化。</translation>
    </message>
    <message>
        <source>What changed since the returned revision</source>
        <translation>与退回版本相比的修改</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <source>Your comment</source>
        <translation>您的意见</translation>
    </message>
</context>
<context>
    <name>DraftCommentsPage</name>
    <message>
        <source>Comments ({count})</source>
        <translation>复核意见（{count}）</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>复核意见</translation>
    </message>
    <message>
        <source>Returned by {name} on {date}: {comment}</source>
        <translation>{name} 于 {date} 退回：{comment}</translation>
    </message>
    <message>
        <source>The comments sent to the officer with the return.</source>
        <translation>随退回发给客户经理的意见。</translation>
    </message>
    <message>
        <source>Your comments on single items, kept as a draft until you return the visit (they go to the officer with it). Add one with &quot;Comment…&quot; beside an item; double-click a line here to go to its item.</source>
        <translation>您对各项目的意见在退回前保存为草稿（退回时一并发给客户经理）。在项目旁点“添加意见…”即可添加；双击此处一行可跳到该项目。</translation>
    </message>
    <message>
        <source>Review comments</source>
        <translation>复核意见</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
</context>
<context>
    <name>DrillDialog</name>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>&amp;More rows</source>
        <translation>更多(&amp;M)</translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n 次检查</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n 条</numerusform>
        </translation>
    </message>
    <message>
        <source>{count}, the first {shown} shown</source>
        <translation>{count}，已显示前 {shown} 条</translation>
    </message>
    <message>
        <source>The list could not be read: {error}</source>
        <translation>无法读取清单：{error}</translation>
    </message>
</context>
<context>
    <name>DrillModel</name>
    <message>
        <source>Customer no.</source>
        <translation>客户号</translation>
    </message>
    <message>
        <source>Borrower</source>
        <translation>客户名称</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>风险分类</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>(unassigned)</source>
        <translation>（未分配）</translation>
    </message>
    <message numerus="yes">
        <source>submitted after %n day(s)</source>
        <translation>
            <numerusform>检查后 %n 天提交</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EditorActions</name>
    <message>
        <source>&amp;Undo {what}</source>
        <translation>撤销{what}(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo {what}</source>
        <translation>重做{what}(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>工具栏</translation>
    </message>
    <message>
        <source>&amp;Next page</source>
        <translation>下一页(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous page</source>
        <translation>上一页(&amp;P)</translation>
    </message>
</context>
<context>
    <name>ExportAction</name>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Exporting to {name}…</source>
        <translation>正在导出到 {name}…</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV, UTF-8 for Excel (*.csv)</source>
        <translation>CSV 文件，UTF-8，Excel 可直接打开 (*.csv)</translation>
    </message>
    <message>
        <source>Reading the list…</source>
        <translation>正在读取清单…</translation>
    </message>
    <message>
        <source>{done} of {total} rows</source>
        <translation>已写入 {done} / {total} 行</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>The file was not written.</source>
        <translation>文件未写入。</translation>
    </message>
</context>
<context>
    <name>FigureInput</name>
    <message>
        <source>Amount in yuan, e.g. 1,250,000</source>
        <translation>金额（元），如 1,250,000 或 125万</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>数值</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <source>The signal is already at the highest severity.</source>
        <translation>该预警信号已是最高级别。</translation>
    </message>
    <message>
        <source>There is no other officer in your team to hand it over to.</source>
        <translation>团队中没有其他客户经理可以移交。</translation>
    </message>
    <message>
        <source>Give the reason.</source>
        <translation>请填写原因。</translation>
    </message>
    <message>
        <source>The reason is too long: at most {max} characters.</source>
        <translation>原因过长：最多 {max} 个字。</translation>
    </message>
    <message>
        <source>&amp;New severity:</source>
        <translation>新级别(&amp;N)：</translation>
    </message>
    <message>
        <source>Hand &amp;over to:</source>
        <translation>移交给(&amp;o)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>Escalate the signal</source>
        <translation>升级预警信号</translation>
    </message>
    <message>
        <source>Raise the severity of “{title}” (now {severity}). A reason is required.</source>
        <translation>提高「{title}」的级别（当前为{severity}）。必须填写原因。</translation>
    </message>
    <message>
        <source>Hand the signal over</source>
        <translation>移交预警信号</translation>
    </message>
    <message>
        <source>Hand “{title}” over to another officer of your team. A reason is required.</source>
        <translation>将「{title}」移交给团队中的其他客户经理。必须填写原因。</translation>
    </message>
    <message>
        <source>Clear the signal</source>
        <translation>解除预警信号</translation>
    </message>
    <message>
        <source>Why is “{title}” cleared? A reason is required.</source>
        <translation>为什么解除「{title}」？必须填写原因。</translation>
    </message>
</context>
<context>
    <name>FoundCollateralDialog</name>
    <message>
        <source>Describe the item.</source>
        <translation>请填写抵质押物的名称及描述。</translation>
    </message>
    <message>
        <source>Estimated value: {reason}</source>
        <translation>估计价值：{reason}</translation>
    </message>
    <message>
        <source>Item found on site</source>
        <translation>现场发现的抵质押物</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>种类(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>名称及描述(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Location:</source>
        <translation>存放地点(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Estimated value (yuan):</source>
        <translation>估计价值（元）(&amp;E)：</translation>
    </message>
    <message>
        <source>e.g. 1,200,000</source>
        <translation>如 1,200,000 或 120万</translation>
    </message>
</context>
<context>
    <name>HandoverNotice</name>
    <message numerus="yes">
        <source>Handover pending: %n borrower(s) being handed over</source>
        <translation>
            <numerusform>责任移交进行中：%n 户客户正在移交</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> — your signature is needed on %n handover record(s)</source>
        <translation>
            <numerusform>；有 %n 份移交清单需要您签署</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Handovers…</source>
        <translation>责任移交(&amp;H)…</translation>
    </message>
</context>
<context>
    <name>HandoverSigning</name>
    <message>
        <source>Opening the signed record…</source>
        <translation>正在打开已签署的移交清单…</translation>
    </message>
    <message>
        <source>Preparing the handover record…</source>
        <translation>正在生成移交清单…</translation>
    </message>
    <message>
        <source>Handover record</source>
        <translation>移交清单</translation>
    </message>
    <message>
        <source>The record could not be shown: {error}</source>
        <translation>无法显示移交清单：{error}</translation>
    </message>
    <message>
        <source>Countersigning the handover record…</source>
        <translation>正在会签移交清单…</translation>
    </message>
    <message>
        <source>Confirming the handover…</source>
        <translation>正在确认移交…</translation>
    </message>
    <message>
        <source>Signing the handover record…</source>
        <translation>正在签署移交清单…</translation>
    </message>
</context>
<context>
    <name>HandoversDialog</name>
    <message>
        <source>Waiting for {giver}&apos;s laptop to upload everything and let go</source>
        <translation>等待{giver}的电脑上传全部资料并交出</translation>
    </message>
    <message>
        <source>Waiting for {giver}&apos;s signature</source>
        <translation>等待移交人{giver}签署</translation>
    </message>
    <message>
        <source>Waiting for {taker}&apos;s countersignature</source>
        <translation>等待接收人{taker}会签</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>{state}; your signature is still needed</source>
        <translation>{state}；仍需您签署</translation>
    </message>
    <message>
        <source>Headquarters has started the handover. Each officer sees it after their next sync.</source>
        <translation>总行已发起责任移交，双方客户经理下次同步后即可看到。</translation>
    </message>
    <message>
        <source>Headquarters has kept your signature.</source>
        <translation>总行已收到并保存您的签署。</translation>
    </message>
    <message>
        <source>The handovers could not be read: {error}</source>
        <translation>无法读取责任移交：{error}</translation>
    </message>
    <message>
        <source>Handovers</source>
        <translation>责任移交</translation>
    </message>
    <message>
        <source>Signed on this laptop, waiting for sync</source>
        <translation>已签署，待同步</translation>
    </message>
    <message>
        <source>{state} — headquarters refused the signature made here: {reason}</source>
        <translation>{state}——总行未接受本机的签署：{reason}</translation>
    </message>
    <message>
        <source>Signed by both; waiting for the supervisor&apos;s confirmation</source>
        <translation>双方均已签署，等待监交人（部门负责人）确认</translation>
    </message>
    <message>
        <source>Complete, without the supervisor&apos;s confirmation (an administrator&apos;s decision: {reason})</source>
        <translation>已完成，未经监交人签章确认（管理员决定：{reason}）</translation>
    </message>
    <message>
        <source>Signed. It is kept on this laptop and goes to headquarters with the next sync ({why}).</source>
        <translation>已签署。签署保存在本机，下次同步时发送至总行（{why}）。</translation>
    </message>
    <message>
        <source>Headquarters has checked the three signatures and completed the handover: the borrowers move to {taker} with their next sync.</source>
        <translation>总行已核验三方签名并完成移交：客户将在下次同步后转至{taker}名下。</translation>
    </message>
    <message>
        <source>Borrowers handed over from one officer to another: hand over first, leave after. The borrowers move once the officer handing over has signed the record, the officer taking over has countersigned it and their supervisor has confirmed it with a third signature. A signature can be made without the network: it goes with the next sync. Steps taken on other laptops show after the next sync.</source>
        <translation>客户由一名客户经理移交给另一名：先移交，后离岗。移交人签署移交清单、接收人会签、监交人（部门负责人）签章确认后，客户才转至接收人名下。没有网络时也可签署，签署在下次同步时发送。在其他电脑上完成的步骤，下次同步后显示。</translation>
    </message>
    <message>
        <source>Handing over</source>
        <translation>移交人</translation>
    </message>
    <message>
        <source>Taking over</source>
        <translation>接收人</translation>
    </message>
    <message>
        <source>Borrowers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>发起时间</translation>
    </message>
    <message>
        <source>Waiting for</source>
        <translation>当前环节</translation>
    </message>
    <message>
        <source>No handover concerns you.</source>
        <translation>没有与您有关的责任移交。</translation>
    </message>
    <message>
        <source>&amp;Sign the record…</source>
        <translation>签署移交清单(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Countersign the record…</source>
        <translation>会签移交清单(&amp;C)…</translation>
    </message>
    <message>
        <source>C&amp;onfirm the handover…</source>
        <translation>确认移交(&amp;o)…</translation>
    </message>
    <message>
        <source>S&amp;tart a handover…</source>
        <translation>发起责任移交(&amp;t)…</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>History</source>
        <translation>检查历史</translation>
    </message>
    <message>
        <source>Headquarters</source>
        <translation>总行</translation>
    </message>
    <message>
        <source>History of the visit</source>
        <translation>检查历史</translation>
    </message>
    <message>
        <source>Every step of this visit and of its earlier revisions, oldest first.</source>
        <translation>本次检查及其以前各版本的每一步，按时间先后排列。</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Reason or comment</source>
        <translation>原因或意见</translation>
    </message>
</context>
<context>
    <name>ItemRow</name>
    <message>
        <source>Photos: {count}</source>
        <translation>照片：{count}</translation>
    </message>
    <message>
        <source>Note (required):</source>
        <translation>说明（必填）：</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>说明：</translation>
    </message>
    <message>
        <source>Explain the abnormal finding</source>
        <translation>请说明异常情况</translation>
    </message>
    <message>
        <source>Abnormal — note and photo required</source>
        <translation>异常 — 须填写说明并附照片</translation>
    </message>
    <message>
        <source>Abnormal — note required</source>
        <translation>异常 — 须填写说明</translation>
    </message>
    <message>
        <source>Abnormal — photo required</source>
        <translation>异常 — 须附照片</translation>
    </message>
    <message>
        <source>Abnormal</source>
        <translation>异常</translation>
    </message>
    <message>
        <source> (optional)</source>
        <translation>（选填）</translation>
    </message>
    <message>
        <source>Attach photo…</source>
        <translation>附加照片…</translation>
    </message>
    <message>
        <source>Enter: next question · Ctrl+Enter: note</source>
        <translation>Enter：下一题 · Ctrl+Enter：填写说明</translation>
    </message>
</context>
<context>
    <name>Jobs</name>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Post-loan on-site inspection</source>
        <translation>贷后现场检查</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <source>Opening the local database…</source>
        <translation>正在打开本地数据库…</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Could not sign in: {error}</source>
        <translation>无法登录：{error}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Post-loan on-site inspection</source>
        <translation>贷后现场检查</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>搜索(&amp;S)：</translation>
    </message>
    <message>
        <source>Borrower name, customer no., ID number or industry</source>
        <translation>借款人名称、客户编号、证件号码或行业</translation>
    </message>
    <message>
        <source>due-list</source>
        <translation>到期清单</translation>
    </message>
    <message>
        <source>Could not load the portfolio: {error}</source>
        <translation>无法加载客户列表：{error}</translation>
    </message>
    <message>
        <source>Open &amp;brief…</source>
        <translation>打开访前准备(&amp;b)…</translation>
    </message>
    <message>
        <source>&amp;Revise the returned visit…</source>
        <translation>修订退回的检查(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the list as it is filtered now, every borrower of it, as an Excel workbook or CSV</source>
        <translation>将当前筛选出的清单（全部借款人）保存为 Excel 工作簿或 CSV 文件</translation>
    </message>
    <message>
        <source>Name, pinyin (zjdy), customer no., ID no. or industry</source>
        <translation>借款人名称、拼音或首字母、客户编号、证件号码或行业</translation>
    </message>
</context>
<context>
    <name>NoMatchNote</name>
    <message>
        <source>No borrower matches “{text}”.
Search by name, pinyin or its initials (zjdy), customer no., ID number or industry.</source>
        <translation>没有与“{text}”匹配的借款人。
可按名称、拼音或拼音首字母（如 zjdy）、客户编号、证件号码或行业搜索。</translation>
    </message>
    <message>
        <source>No borrower matches the chosen filters.</source>
        <translation>没有符合所选筛选条件的借款人。</translation>
    </message>
    <message>
        <source>No borrowers are assigned to you yet; they arrive with the next sync.</source>
        <translation>您名下暂无借款人；下次同步后将显示分配给您的借款人。</translation>
    </message>
    <message>
        <source>Show &amp;all borrowers</source>
        <translation>显示全部借款人(&amp;a)</translation>
    </message>
</context>
<context>
    <name>ObservationEditor</name>
    <message>
        <source>Choose what you found</source>
        <translation>请选择现场情况</translation>
    </message>
    <message>
        <source>Choose the status first; the other fields follow.</source>
        <translation>请先选择状态，再填写其他各项。</translation>
    </message>
    <message>
        <source>Location checked on site</source>
        <translation>已现场核实存放地点</translation>
    </message>
    <message>
        <source>e.g. 1,200,000</source>
        <translation>如 1,200,000 或 120万</translation>
    </message>
    <message>
        <source>yuan</source>
        <translation>元</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>状态(&amp;S)：</translation>
    </message>
    <message>
        <source>Location:</source>
        <translation>存放地点：</translation>
    </message>
    <message>
        <source>&amp;Condition:</source>
        <translation>现状(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Estimate of current value:</source>
        <translation>现值估计(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Quantity found:</source>
        <translation>现场数量(&amp;Q)：</translation>
    </message>
    <message>
        <source>&amp;Insurance valid:</source>
        <translation>保险有效(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
    <message>
        <source>Photos:</source>
        <translation>照片：</translation>
    </message>
    <message>
        <source>&amp;Registration certificate held:</source>
        <translation>权证在行(&amp;R)：</translation>
    </message>
    <message>
        <source>Select an item of the register above.</source>
        <translation>请在上方登记表中选择一项。</translation>
    </message>
    <message>
        <source> (found on site)</source>
        <translation>（现场发现）</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s); add them on the Photos page</source>
        <translation>
            <numerusform>%n 张照片；请在“照片”页添加</numerusform>
        </translation>
    </message>
    <message>
        <source>Appraised value: {value}</source>
        <translation>评估价值：{value}</translation>
    </message>
    <message>
        <source>change: {change}</source>
        <translation>变动：{change}</translation>
    </message>
    <message>
        <source>The fall is beyond the policy&apos;s {limit}% threshold: this item&apos;s warning signal is {severity}.</source>
        <translation>跌幅超过检查政策规定的{limit}%阈值：本项抵质押物的预警信号为{severity}。</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>未保存：{reason}</translation>
    </message>
</context>
<context>
    <name>PhotoDetails</name>
    <message>
        <source>Select a photo to see its details.</source>
        <translation>选择一张照片查看详情。</translation>
    </message>
    <message>
        <source>(no checklist item)</source>
        <translation>（不关联检查项）</translation>
    </message>
    <message>
        <source>(no collateral item)</source>
        <translation>（不关联押品）</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>What the photo shows</source>
        <translation>照片内容说明</translation>
    </message>
    <message>
        <source>Checklist item</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Collateral</source>
        <translation>押品</translation>
    </message>
    <message>
        <source>Open and mark…</source>
        <translation>打开并标注…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
</context>
<context>
    <name>PhotoFacts</name>
    <message>
        <source>no time recorded by the camera</source>
        <translation>相机未记录拍摄时间</translation>
    </message>
    <message>
        <source>no GPS position</source>
        <translation>无 GPS 位置</translation>
    </message>
    <message>
        <source>Taken more than %1 days before the visit date: check it belongs to this visit.</source>
        <translation>拍摄时间早于检查日期 %1 天以上，请确认是否为本次检查所拍。</translation>
    </message>
    <message>
        <source>Taken: %1</source>
        <translation>拍摄时间：%1</translation>
    </message>
    <message>
        <source>GPS: %1</source>
        <translation>GPS：%1</translation>
    </message>
    <message>
        <source>Markings drawn: %1</source>
        <translation>已标注：%1 处</translation>
    </message>
    <message>
        <source>Supervisor&apos;s comment: %1</source>
        <translation>主管意见：%1</translation>
    </message>
</context>
<context>
    <name>PhotoImport</name>
    <message>
        <source>Adding photos…</source>
        <translation>正在添加照片…</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Adding photos… %1 of %2</source>
        <translation>正在添加照片…（%1/%2）</translation>
    </message>
    <message>
        <source>The photos could not be added. Nothing was changed.</source>
        <translation>照片未能添加，未做任何更改。</translation>
    </message>
    <message>
        <source>Stopped. The photos added before you cancelled are kept.</source>
        <translation>已停止。取消前已添加的照片均已保留。</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) added.</source>
        <translation>
            <numerusform>已添加 %n 张照片。</numerusform>
        </translation>
    </message>
    <message>
        <source>No photos were found to add.</source>
        <translation>没有找到可添加的照片。</translation>
    </message>
    <message>
        <source>No new photos were added.</source>
        <translation>没有添加新照片。</translation>
    </message>
    <message numerus="yes">
        <source>%n already in this visit, not added again.</source>
        <translation>
            <numerusform>%n 张已在本次检查中，未重复添加。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be used:</source>
        <translation>
            <numerusform>%n 个文件无法使用：</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>另有 %n 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n other file(s) in the folders are not photos and were skipped.</source>
        <translation>
            <numerusform>文件夹中另有 %n 个文件不是照片，已跳过。</numerusform>
        </translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>所有文件</translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <source>The photo could not be shown.</source>
        <translation>照片无法显示。</translation>
    </message>
    <message>
        <source>The markings could not be saved.</source>
        <translation>标注未能保存。</translation>
    </message>
    <message>
        <source>Text marking</source>
        <translation>文字标注</translation>
    </message>
    <message>
        <source>Text to place on the photo:</source>
        <translation>要标在照片上的文字：</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Photo — %1</source>
        <translation>照片 — %1</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一张</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一张</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>100%</source>
        <translation>100%</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>移动</translation>
    </message>
    <message>
        <source>Arrow</source>
        <translation>箭头</translation>
    </message>
    <message>
        <source>Circle</source>
        <translation>圆圈</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>What the photo shows</source>
        <translation>照片内容说明</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>拍摄信息</translation>
    </message>
</context>
<context>
    <name>PortfolioModel</name>
    <message>
        <source>Customer no.</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <source>Borrower</source>
        <translation>借款人</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>Risk classification</source>
        <translation>风险分类</translation>
    </message>
    <message>
        <source>Warning signals</source>
        <translation>预警信号</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>上次检查</translation>
    </message>
    <message>
        <source>Next inspection</source>
        <translation>下次检查</translation>
    </message>
    <message>
        <source>Inspection type</source>
        <translation>检查类型</translation>
    </message>
    <message>
        <source>Credit officer</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>This borrower is being handed over to another officer: it moves once both officers have signed the handover record and the supervisor has completed it (Tools &gt; Handovers…)</source>
        <translation>该客户正在移交给其他客户经理：双方签署移交清单并经部门负责人确认完成后转出（工具 &gt; 责任移交…）</translation>
    </message>
    <message>
        <source>A visit to this borrower is being written: open the brief to continue it</source>
        <translation>该借款人有一份检查草稿正在填写：打开访前简报可继续</translation>
    </message>
    <message>
        <source>A visit to this borrower is complete and waits for your signature</source>
        <translation>该借款人有一次检查已完成，等待签署</translation>
    </message>
    <message>
        <source>Being handed over</source>
        <translation>移交中</translation>
    </message>
    <message>
        <source>Draft in progress</source>
        <translation>草稿进行中</translation>
    </message>
    <message>
        <source>Completed, to sign</source>
        <translation>已完成，待签署</translation>
    </message>
    <message>
        <source>{notice} (+{n} more)</source>
        <translation>{notice}（另有 {n} 户）</translation>
    </message>
    <message>
        <source>1 day overdue</source>
        <translation>逾期 1 天</translation>
    </message>
    <message>
        <source>Outstanding balance</source>
        <translation>贷款余额</translation>
    </message>
    <message>
        <source>No repayment data from headquarters for this borrower&apos;s loans yet</source>
        <translation>总行尚未发来该借款人贷款的还款数据</translation>
    </message>
    <message>
        <source>The balances of the borrower&apos;s loans, by headquarters&apos; latest repayment data</source>
        <translation>借款人各笔贷款的余额合计（按总行最新的还款数据）</translation>
    </message>
    <message>
        <source>{n} days overdue</source>
        <translation>逾期 {n} 天</translation>
    </message>
    <message>
        <source>due today</source>
        <translation>今天到期</translation>
    </message>
    <message>
        <source>due tomorrow</source>
        <translation>明天到期</translation>
    </message>
    <message>
        <source>due in {n} days</source>
        <translation>{n} 天后到期</translation>
    </message>
    <message numerus="yes">
        <source>Returned: %n comment(s)</source>
        <translation>
            <numerusform>已退回：%n 条意见</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>The printer refused the job.</source>
        <translation>打印机拒绝了此打印任务。</translation>
    </message>
    <message>
        <source>The printer could not start a new page.</source>
        <translation>打印机无法开始新的一页。</translation>
    </message>
    <message>
        <source>Printing {name}…</source>
        <translation>正在打印 {name}…</translation>
    </message>
    <message>
        <source>Preparing the preview of {name}…</source>
        <translation>正在准备 {name} 的打印预览…</translation>
    </message>
    <message>
        <source>Print preview: {name}</source>
        <translation>打印预览：{name}</translation>
    </message>
    <message>
        <source>Printing</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>The file {path} does not exist.</source>
        <translation>文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>The file is not a readable PDF ({detail}).</source>
        <translation>该文件不是可读取的 PDF（{detail}）。</translation>
    </message>
    <message>
        <source>Could not print {name}: {error}</source>
        <translation>无法打印 {name}：{error}</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Drive</source>
        <translation>驱动器</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>%1 File</source>
        <translation>%1 文件</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;t)：</translation>
    </message>
</context>
<context>
    <name>QuantityFields</name>
    <message>
        <source>found, e.g. 800</source>
        <translation>现场数量，如 800</translation>
    </message>
    <message>
        <source>registered, e.g. 2459</source>
        <translation>登记数量，如 2459</translation>
    </message>
    <message>
        <source>t</source>
        <translation>吨</translation>
    </message>
    <message>
        <source>of</source>
        <translation>／登记</translation>
    </message>
    <message>
        <source>unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>The quantity found on site</source>
        <translation>现场实际清点的数量</translation>
    </message>
    <message>
        <source>The quantity registered (pledge list or contract)</source>
        <translation>登记的数量（质押清单或合同）</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>未保存：{reason}</translation>
    </message>
    <message>
        <source>Not saved: the registered quantity must be above zero</source>
        <translation>未保存：登记数量须大于零</translation>
    </message>
    <message>
        <source>Record both quantities when less is found than registered.</source>
        <translation>现场数量少于登记数量时，请填写两项数量。</translation>
    </message>
    <message>
        <source>Nothing short ({amount}).</source>
        <translation>未短少（{amount}）。</translation>
    </message>
    <message>
        <source>Short by {percent}% ({amount}).</source>
        <translation>短少{percent}%（{amount}）。</translation>
    </message>
    <message>
        <source>Beyond the policy&apos;s {limit}% threshold: this item&apos;s warning signal is {severity}.</source>
        <translation>短少超过检查政策规定的{limit}%阈值：本项抵质押物的预警信号为{severity}。</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Officer</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <source>Borrower</source>
        <translation>借款人</translation>
    </message>
    <message>
        <source>Inspection type</source>
        <translation>检查类型</translation>
    </message>
    <message>
        <source>Visit date</source>
        <translation>检查日期</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>已等待</translation>
    </message>
    <message>
        <source>Current → recommended</source>
        <translation>现行 → 建议分类</translation>
    </message>
    <message>
        <source>Red / orange signals</source>
        <translation>红色 / 橙色预警</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>复核决定</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>⚠ Conflicts with headquarters</source>
        <translation>⚠ 与总行的决定冲突</translation>
    </message>
    <message>
        <source>Approved by {name}, {date}</source>
        <translation>{name} 于 {date} 认定</translation>
    </message>
    <message>
        <source>Returned by {name}, {date}</source>
        <translation>{name} 于 {date} 退回</translation>
    </message>
    <message>
        <source>{decision} (not yet synced)</source>
        <translation>{decision}（尚未同步）</translation>
    </message>
    <message>
        <source>Headquarters did not accept this decision: {why}</source>
        <translation>总行未接受此决定：{why}</translation>
    </message>
    <message>
        <source>The officer recommends a worse classification than the current one</source>
        <translation>客户经理建议的分类比现行分类差（下调）</translation>
    </message>
    <message>
        <source>Resubmitted after a return: the visit shows what changed</source>
        <translation>退回后重新提交：打开后可查看修改对比</translation>
    </message>
</context>
<context>
    <name>RecipientInput</name>
    <message>
        <source>Recipient&apos;s name</source>
        <translation>收款方名称</translation>
    </message>
    <message>
        <source>Credit code (if known)</source>
        <translation>统一社会信用代码（如有）</translation>
    </message>
    <message>
        <source>Account no. (if known)</source>
        <translation>账号（如有）</translation>
    </message>
</context>
<context>
    <name>ReportButtons</name>
    <message>
        <source>Pre&amp;view report</source>
        <translation>预览报告(&amp;v)</translation>
    </message>
    <message>
        <source>Show the report as it prints: the signed report once there is one, otherwise a draft</source>
        <translation>按打印效果显示报告：已签署的显示签署版，否则显示草稿</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Print the report</source>
        <translation>打印报告</translation>
    </message>
    <message>
        <source>&amp;Sign report…</source>
        <translation>签署报告(&amp;S)…</translation>
    </message>
    <message>
        <source>Sign a completed visit of yours: your handwritten signature and your certificate</source>
        <translation>签署本人已完成的检查：手写签名加数字证书</translation>
    </message>
    <message>
        <source>Su&amp;bmit</source>
        <translation>提交(&amp;b)</translation>
    </message>
    <message>
        <source>Mark a signed visit as submitted for review</source>
        <translation>将已签署的检查标记为已提交复核</translation>
    </message>
    <message>
        <source>R&amp;evise…</source>
        <translation>修订(&amp;e)…</translation>
    </message>
    <message>
        <source>A returned visit: make a new draft revision of it, with the supervisor&apos;s comments at their items</source>
        <translation>被退回的检查：创建新的草稿版本，主管意见显示在对应项旁</translation>
    </message>
    <message>
        <source>&amp;Approve and countersign…</source>
        <translation>复核签署(&amp;A)…</translation>
    </message>
    <message>
        <source>Approve a submitted visit and countersign its report with your certificate</source>
        <translation>认定已提交的检查，并用您的证书在报告上复核签署</translation>
    </message>
    <message>
        <source>&amp;Return…</source>
        <translation>退回(&amp;R)…</translation>
    </message>
    <message>
        <source>Return a submitted visit to its officer, with the reason</source>
        <translation>将已提交的检查退回客户经理，并说明原因</translation>
    </message>
    <message>
        <source>Verify si&amp;gnatures</source>
        <translation>验证签名(&amp;g)</translation>
    </message>
    <message>
        <source>Check that the stored report is unchanged since it was signed</source>
        <translation>检查保存的报告自签署以来是否未被改动</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>Report and signatures</source>
        <translation>报告与签名</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>No signed report is stored for this visit.</source>
        <translation>本次检查没有已签署的报告。</translation>
    </message>
    <message>
        <source>Countersigned report</source>
        <translation>已复核签署的报告</translation>
    </message>
    <message>
        <source>Report signed by the officer</source>
        <translation>客户经理签署的报告</translation>
    </message>
    <message>
        <source>{stage}
Signed by {signer} at {when}</source>
        <translation>{stage}
签署人：{signer}，时间：{when}</translation>
    </message>
    <message>
        <source>The report as the officer signed it. The check below says whether it is unchanged since.</source>
        <translation>客户经理签署的报告。下方的验证说明报告自签署后是否未被改动。</translation>
    </message>
    <message>
        <source>&amp;Open PDF</source>
        <translation>打开 PDF(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Check signatures again</source>
        <translation>重新验证签名(&amp;C)</translation>
    </message>
</context>
<context>
    <name>ReportSigning</name>
    <message>
        <source>Preparing the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <source>The report could not be prepared: {error}</source>
        <translation>无法生成报告：{error}</translation>
    </message>
    <message>
        <source>Signing the report…</source>
        <translation>正在签署报告…</translation>
    </message>
    <message>
        <source>Sign report</source>
        <translation>签署报告</translation>
    </message>
</context>
<context>
    <name>ReportVerdictWidget</name>
    <message>
        <source>Signer</source>
        <translation>签署人</translation>
    </message>
    <message>
        <source>Signed at</source>
        <translation>签署时间</translation>
    </message>
    <message>
        <source>Intact</source>
        <translation>内容完整</translation>
    </message>
    <message>
        <source>Trusted</source>
        <translation>证书可信</translation>
    </message>
    <message>
        <source>Covers</source>
        <translation>覆盖范围</translation>
    </message>
    <message>
        <source>Changes after signing</source>
        <translation>签署后的修改</translation>
    </message>
    <message>
        <source>Checking the signatures…</source>
        <translation>正在验证签名…</translation>
    </message>
    <message>
        <source>The report could not be checked</source>
        <translation>无法验证该报告</translation>
    </message>
    <message>
        <source>The report is not signed</source>
        <translation>报告未签名</translation>
    </message>
    <message>
        <source>All signatures valid</source>
        <translation>签名有效</translation>
    </message>
    <message>
        <source>Signatures not valid</source>
        <translation>签名无效</translation>
    </message>
    <message>
        <source>No trusted root certificate was given, so the signers&apos; certificates were not checked.</source>
        <translation>未提供受信任的根证书，因此未检查签署人的证书。</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>The officer&apos;s signature</source>
        <translation>客户经理签名</translation>
    </message>
    <message>
        <source>The supervisor&apos;s countersignature</source>
        <translation>复核人签字</translation>
    </message>
    <message>
        <source>A signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>未检查</translation>
    </message>
    <message>
        <source>The whole report</source>
        <translation>整份报告</translation>
    </message>
    <message>
        <source>The report as it was signed</source>
        <translation>签名时的报告内容</translation>
    </message>
    <message>
        <source>Signature check data only</source>
        <translation>仅签名验证信息</translation>
    </message>
    <message>
        <source>The review and later signatures</source>
        <translation>复核意见及其后的签名</translation>
    </message>
    <message>
        <source>Notes added on the pages</source>
        <translation>页面上添加的批注</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Other changes</source>
        <translation>其他修改</translation>
    </message>
    <message>
        <source>Document information ({keys})</source>
        <translation>文档信息（{keys}）</translation>
    </message>
    <message>
        <source>allowed</source>
        <translation>允许</translation>
    </message>
    <message>
        <source>not allowed</source>
        <translation>不允许</translation>
    </message>
    <message>
        <source>{changes} ({allowed})</source>
        <translation>{changes}（{allowed}）</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <source>Write why the visit is returned; the officer reads it first.</source>
        <translation>请写明退回原因，客户经理会首先看到。</translation>
    </message>
    <message>
        <source>The visit was not returned: {error}</source>
        <translation>未能退回：{error}</translation>
    </message>
    <message>
        <source>Return the visit</source>
        <translation>退回检查</translation>
    </message>
    <message>
        <source>&amp;Why is the visit returned? The officer sees this with your comments and corrects the visit in a new revision.</source>
        <translation>退回原因(&amp;W)：客户经理会看到这段话和您的各项意见，并在新版本中修改。</translation>
    </message>
    <message>
        <source>Your comments on single items (double-click one to edit it):</source>
        <translation>您对各项目的意见（双击可修改）：</translation>
    </message>
    <message>
        <source>No comments on single items. Close this window and use &quot;Comment…&quot; beside an item to add one, or return with the comment above only.</source>
        <translation>没有针对单个项目的意见。可关闭此窗口，在项目旁点“添加意见…”添加；也可只凭上面的意见退回。</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>&amp;Remove comment</source>
        <translation>删除意见(&amp;R)</translation>
    </message>
    <message>
        <source>A removed comment is not sent to the officer.</source>
        <translation>删除的意见不会发给客户经理。</translation>
    </message>
    <message>
        <source>&amp;Return to officer</source>
        <translation>退回客户经理(&amp;R)</translation>
    </message>
</context>
<context>
    <name>ReturnReasonDialog</name>
    <message>
        <source>Return the visit</source>
        <translation>退回检查</translation>
    </message>
    <message>
        <source>Why is the visit returned? The officer sees this and corrects the visit in a new revision.</source>
        <translation>请填写退回原因。客户经理会看到这段说明，并在新版本中更正检查。</translation>
    </message>
</context>
<context>
    <name>ReviewExtras</name>
    <message>
        <source>The review could not be loaded: {error}</source>
        <translation>无法读取复核信息：{error}</translation>
    </message>
    <message>
        <source>This is your own visit: another supervisor reviews it.</source>
        <translation>这是您本人的检查，须由其他负责人复核。</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>认定</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>⚠ Headquarters did not accept the decision made here ({what} by {name}, {when}): {conflict} The visit follows the decision headquarters holds.</source>
        <translation>⚠ 总行未接受本机的决定（{name} 于 {when} {what}）：{conflict} 本次检查以总行的决定为准。</translation>
    </message>
    <message>
        <source>another decision stands.</source>
        <translation>总行已有另一决定。</translation>
    </message>
    <message>
        <source>{name} {what} this visit on {when}.</source>
        <translation>{name} 已于 {when} {what}本次检查。</translation>
    </message>
    <message>
        <source>Not yet sent to headquarters: it goes at the next sync.</source>
        <translation>尚未发送到总行，下次同步时发送。</translation>
    </message>
    <message>
        <source>Submitted for your review. Read the visit, comment on items if needed, then approve or return it.</source>
        <translation>已提交待您复核。请阅读检查记录，需要时对项目添加意见，然后签字认定或退回。</translation>
    </message>
    <message>
        <source>Countersigning the report…</source>
        <translation>正在复核签署报告…</translation>
    </message>
    <message>
        <source>Approve and countersign</source>
        <translation>签字认定</translation>
    </message>
    <message>
        <source>&amp;Approve and countersign…</source>
        <translation>签字认定(&amp;A)…</translation>
    </message>
    <message>
        <source>Approve…</source>
        <translation>签字认定…</translation>
    </message>
    <message>
        <source>Confirm or change the classification, write your review opinion, sign by hand and countersign the report</source>
        <translation>确认或调整分类，填写复核意见，手写签名并对报告复核签署</translation>
    </message>
    <message>
        <source>&amp;Return to officer…</source>
        <translation>退回(&amp;R)…</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>退回…</translation>
    </message>
    <message>
        <source>Return the visit to its officer with your comments, for a new revision</source>
        <translation>连同您的意见退回客户经理，由其修订为新版本</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Could not be loaded: {error}</source>
        <translation>无法读取：{error}</translation>
    </message>
</context>
<context>
    <name>ReviewQueue</name>
    <message>
        <source>visits</source>
        <translation>检查记录</translation>
    </message>
    <message>
        <source>The queue could not be loaded: {error}</source>
        <translation>无法读取复核队列：{error}</translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s) waiting for your decision</source>
        <translation>
            <numerusform>%n 次检查等待您复核</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n decided visit(s)</source>
        <translation>
            <numerusform>%n 次已复核的检查</numerusform>
        </translation>
    </message>
    <message>
        <source>The first {count} shown; filter to narrow the list</source>
        <translation>仅显示前 {count} 条；请用筛选缩小范围</translation>
    </message>
    <message>
        <source>Nothing waits for your decision.</source>
        <translation>没有等待您复核的检查。</translation>
    </message>
    <message>
        <source>No decided visits match.</source>
        <translation>没有符合条件的已复核检查。</translation>
    </message>
    <message numerus="yes">
        <source>⚠ Headquarters did not accept %n of your decisions: another decision stands there. The rows are marked; open one to see what headquarters holds.</source>
        <translation>
            <numerusform>⚠ 总行未接受您的 %n 个决定：总行已有另一决定。相关行已标出，打开可查看总行的决定。</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting for review</source>
        <translation>待复核</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>已复核</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>搜索(&amp;S)：</translation>
    </message>
    <message>
        <source>Borrower name or no., officer</source>
        <translation>借款人名称或客户号、客户经理</translation>
    </message>
    <message>
        <source>All officers</source>
        <translation>全部客户经理</translation>
    </message>
    <message>
        <source>Any inspection</source>
        <translation>全部检查类型</translation>
    </message>
    <message>
        <source>Any classification</source>
        <translation>任意分类变化</translation>
    </message>
    <message>
        <source>Downgrades</source>
        <translation>下调</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>不变</translation>
    </message>
    <message>
        <source>Upgrades</source>
        <translation>上调</translation>
    </message>
    <message>
        <source>With red or orange &amp;signals</source>
        <translation>有红色或橙色预警(&amp;s)</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Open the visit read-only, with its report, history and your decision</source>
        <translation>以只读方式打开检查记录，含报告、历史和复核操作</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;x)…</translation>
    </message>
    <message>
        <source>Save the visits of this tab as filtered now, with review status, signals and classification, as an Excel workbook or CSV</source>
        <translation>将本页当前筛选出的全部检查（含复核状态、预警信号和风险分类）保存为 Excel 工作簿或 CSV 文件</translation>
    </message>
</context>
<context>
    <name>ReviseReturned</name>
    <message>
        <source>Revise the returned visit</source>
        <translation>修订退回的检查</translation>
    </message>
    <message>
        <source>A new draft revision of the returned visit is made, with the supervisor&apos;s comments at their items. Why? (e.g. corrected as the supervisor asked)</source>
        <translation>将为退回的检查创建一个新的草稿版本，主管的意见显示在对应检查项处。修订原因？（例如：按主管意见更正）</translation>
    </message>
</context>
<context>
    <name>RulesFiredView</name>
    <message>
        <source>No classification rule fired.</source>
        <translation>未触发分类规则。</translation>
    </message>
    <message>
        <source>Rules that fired (none asks for worse than the current classification):</source>
        <translation>触发的规则（均不要求比当前分类更差）：</translation>
    </message>
    <message>
        <source>Rules that fired ({mark} decided the recommendation):</source>
        <translation>触发的规则（{mark} 为决定建议分类的规则）：</translation>
    </message>
    <message>
        <source>(set aside)</source>
        <translation>（被推翻）</translation>
    </message>
    <message>
        <source>Source: {source}</source>
        <translation>出处：{source}</translation>
    </message>
</context>
<context>
    <name>SignHandoverDialog</name>
    <message>
        <source>The handover record was not signed: {error}</source>
        <translation>移交清单未签署：{error}</translation>
    </message>
    <message>
        <source>Countersign the handover record</source>
        <translation>会签移交清单</translation>
    </message>
    <message>
        <source>Pre&amp;view the signed record…</source>
        <translation>预览已签署的清单(&amp;v)…</translation>
    </message>
    <message>
        <source>&amp;Countersign</source>
        <translation>会签(&amp;C)</translation>
    </message>
    <message>
        <source>Sign the handover record</source>
        <translation>签署移交清单</translation>
    </message>
    <message>
        <source>The handover was not confirmed: {error}</source>
        <translation>移交未能确认：{error}</translation>
    </message>
    <message>
        <source>Confirm the handover</source>
        <translation>确认移交</translation>
    </message>
    <message numerus="yes">
        <source>Confirm the handover: {giver} hands %n borrower(s) over to {taker}, with their loans, open warning signals, pending inspections and unsigned visits. Both have signed the record; look at it, then sign to confirm. Headquarters checks all three signatures and completes the handover: the borrowers move to {taker}. Without the network, your confirmation goes at the next sync.</source>
        <translation>
            <numerusform>确认移交：{giver}将 %n 户客户移交给{taker}，包括其贷款、未解除的风险预警信号、待检查事项和未签署的检查记录。双方均已签署移交清单；请先查看清单，再签章确认。总行核验三方签名后完成移交，客户转至{taker}名下。没有网络时，您的确认将在下次同步时发送。</numerusform>
        </translation>
    </message>
    <message>
        <source>Pre&amp;view the record both signed…</source>
        <translation>预览双方已签署的清单(&amp;v)…</translation>
    </message>
    <message>
        <source>The record as {giver} and {taker} signed it</source>
        <translation>{giver}和{taker}签署的移交清单</translation>
    </message>
    <message>
        <source>C&amp;onfirm</source>
        <translation>确认(&amp;o)</translation>
    </message>
    <message numerus="yes">
        <source>Countersign the handover record: you take over %n borrower(s) from {giver}, with their loans, open warning signals, pending inspections and unsigned visits. {giver} has signed it; your signature goes to headquarters now (or at the next sync), and the supervisor then confirms the handover.</source>
        <translation>
            <numerusform>会签移交清单：您从{giver}处接收 %n 户客户，包括其贷款、未解除的风险预警信号、待检查事项和未签署的检查记录。{giver}已签署；您的会签将立即（或在下次同步时）发送至总行，随后由监交人（部门负责人）确认移交。</numerusform>
        </translation>
    </message>
    <message>
        <source>The record as {giver} signed it</source>
        <translation>{giver}签署的移交清单</translation>
    </message>
    <message numerus="yes">
        <source>Sign the handover record: you hand over %n borrower(s) to {taker}, with their loans, open warning signals, pending inspections and unsigned visits. Your signature goes to headquarters now (or at the next sync); {taker} countersigns next.</source>
        <translation>
            <numerusform>签署移交清单：您将 %n 户客户移交给{taker}，包括其贷款、未解除的风险预警信号、待检查事项和未签署的检查记录。您的签署将立即（或在下次同步时）发送至总行，随后由{taker}会签。</numerusform>
        </translation>
    </message>
    <message>
        <source>Pre&amp;view the record…</source>
        <translation>预览移交清单(&amp;v)…</translation>
    </message>
    <message>
        <source>The record as it will be signed</source>
        <translation>将要签署的移交清单</translation>
    </message>
    <message>
        <source>&amp;Sign</source>
        <translation>签署(&amp;S)</translation>
    </message>
</context>
<context>
    <name>SignReportDialog</name>
    <message>
        <source>The report was not signed: {error}</source>
        <translation>报告未签署：{error}</translation>
    </message>
    <message>
        <source>Sign report</source>
        <translation>签署报告</translation>
    </message>
    <message>
        <source>Sign the report of the visit of {date} with your handwritten signature and your certificate. The signed visit can no longer be changed; it goes to headquarters for review at the next sync.</source>
        <translation>请以手写签名和您的证书签署 {date} 检查的报告。签署后本次检查不能再修改，并将在下次同步时提交总行复核。</translation>
    </message>
    <message>
        <source>Pre&amp;view report…</source>
        <translation>预览报告(&amp;v)…</translation>
    </message>
    <message>
        <source>The report as it will be signed, as a draft</source>
        <translation>即将签署的报告（草稿）</translation>
    </message>
    <message>
        <source>&amp;Sign</source>
        <translation>签署(&amp;S)</translation>
    </message>
</context>
<context>
    <name>SignalHistory</name>
    <message>
        <source>Select a signal to see its history.</source>
        <translation>选择一个预警信号以查看其处理记录。</translation>
    </message>
    <message>
        <source>Where it came from: {origin}</source>
        <translation>来源：{origin}</translation>
    </message>
    <message>
        <source>Handed over to {officer} by the supervisor.</source>
        <translation>已由主管移交给{officer}。</translation>
    </message>
    <message>
        <source>another officer</source>
        <translation>其他客户经理</translation>
    </message>
    <message>
        <source>An event: a special inspection is proposed until one is done.</source>
        <translation>事件类信号：专项检查完成前，一直建议进行专项检查。</translation>
    </message>
    <message>
        <source>A follow-up by the supervisor</source>
        <translation>主管的跟进</translation>
    </message>
    <message>
        <source>Supervisor escalated to {severity}</source>
        <translation>主管升级为{severity}</translation>
    </message>
    <message>
        <source>Supervisor handed over to {officer}</source>
        <translation>主管移交给{officer}</translation>
    </message>
    <message>
        <source>Supervisor cleared</source>
        <translation>主管解除</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>SignalsPage</name>
    <message>
        <source>Risk signals</source>
        <translation>风险预警信号</translation>
    </message>
    <message>
        <source>signal “{title}”</source>
        <translation>预警信号“{title}”</translation>
    </message>
    <message>
        <source>Add signal “{title}”</source>
        <translation>添加预警信号「{title}」</translation>
    </message>
    <message>
        <source>Withdraw signal “{title}”</source>
        <translation>撤回预警信号「{title}」</translation>
    </message>
    <message>
        <source>Handle the signal</source>
        <translation>处理预警信号</translation>
    </message>
    <message>
        <source>What was done about “{title}”? A reason is required.</source>
        <translation>对「{title}」采取了哪些处理措施？必须填写原因。</translation>
    </message>
    <message>
        <source>Monitor the signal</source>
        <translation>监测预警信号</translation>
    </message>
    <message>
        <source>Why is “{title}” now only monitored? A reason is required.</source>
        <translation>为什么「{title}」转为监测？必须填写原因。</translation>
    </message>
    <message>
        <source>Clear the signal</source>
        <translation>解除预警信号</translation>
    </message>
    <message>
        <source>Why is “{title}” cleared? A reason is required.</source>
        <translation>为什么解除「{title}」？必须填写原因。</translation>
    </message>
    <message>
        <source>The signals of this visit and the borrower&apos;s signals still open from earlier visits. As the supervisor you may escalate a signal, hand it over to another officer of your team or clear it, with a reason.</source>
        <translation>本次检查的预警信号，以及该客户以往检查中尚未解除的预警信号。作为主管，您可以升级预警信号、将其移交给团队中的其他客户经理或予以解除，均须填写原因。</translation>
    </message>
    <message>
        <source>The signal is cleared.</source>
        <translation>该预警信号已解除。</translation>
    </message>
    <message>
        <source>The signal is already at the highest severity.</source>
        <translation>该预警信号已是最高级别。</translation>
    </message>
    <message>
        <source>There is no other officer in your team to hand it over to.</source>
        <translation>团队中没有其他客户经理可以移交。</translation>
    </message>
    <message>
        <source>Signals raised automatically by answers and collateral findings, signals you add by hand, and the borrower&apos;s signals still open from earlier visits, which you handle, monitor or clear with a reason.</source>
        <translation>由检查项答案和抵质押物检查自动发起的预警信号、您手工添加的预警信号，以及以往检查中尚未解除的预警信号（需填写原因进行处理、监测或解除）。</translation>
    </message>
    <message>
        <source>&amp;Add signal…</source>
        <translation>添加预警信号(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Withdraw</source>
        <translation>撤回(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Handled…</source>
        <translation>处理(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;Monitor…</source>
        <translation>监测(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Clear…</source>
        <translation>解除(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Escalate…</source>
        <translation>升级(&amp;E)…</translation>
    </message>
    <message>
        <source>Hand &amp;over…</source>
        <translation>移交(&amp;o)…</translation>
    </message>
</context>
<context>
    <name>SignalsTree</name>
    <message>
        <source>added by hand</source>
        <translation>手工添加</translation>
    </message>
    <message numerus="yes">
        <source>Raised on this visit (%n)</source>
        <translation>
            <numerusform>本次检查发起（%n）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Still open from earlier visits (%n)</source>
        <translation>
            <numerusform>以往检查中尚未解除（%n）</numerusform>
        </translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Signal</source>
        <translation>预警内容</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Where it came from</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Raised on</source>
        <translation>发起日期</translation>
    </message>
    <message>
        <source>Supervisor&apos;s comment: {text}</source>
        <translation>主管意见：{text}</translation>
    </message>
</context>
<context>
    <name>SignatureDialog</name>
    <message>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>Sign in the box with the mouse, a pen or a finger.</source>
        <translation>请用鼠标、手写笔或手指在框内签名。</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>Remove the last stroke</source>
        <translation>删除最后一笔</translation>
    </message>
    <message>
        <source>&amp;Clear</source>
        <translation>清除(&amp;C)</translation>
    </message>
    <message>
        <source>Remove the whole signature</source>
        <translation>清除整个签名</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <source>Signature pad</source>
        <translation>签名板</translation>
    </message>
    <message>
        <source>Sign here</source>
        <translation>请在此签名</translation>
    </message>
</context>
<context>
    <name>SigningBox</name>
    <message>
        <source>Sign in the box.</source>
        <translation>请在框内签名。</translation>
    </message>
    <message>
        <source>Import your signing certificate first (Import certificate…).</source>
        <translation>请先导入您的签名证书（导入证书…）。</translation>
    </message>
    <message>
        <source>Enter your certificate&apos;s password.</source>
        <translation>请输入证书密码。</translation>
    </message>
    <message>
        <source>No signing certificate is imported on this laptop.</source>
        <translation>本机尚未导入您的签名证书。</translation>
    </message>
    <message>
        <source>Certificate: {holder}, valid until {end}</source>
        <translation>证书：{holder}，有效期至 {end}</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>Sign in the box with the mouse, a pen or a finger:</source>
        <translation>请用鼠标、手写笔或手指在框内签名：</translation>
    </message>
    <message>
        <source>&amp;Undo stroke</source>
        <translation>撤销一笔(&amp;U)</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清除(&amp;l)</translation>
    </message>
    <message>
        <source>&amp;Import certificate…</source>
        <translation>导入证书(&amp;I)…</translation>
    </message>
    <message>
        <source>Certificate &amp;password:</source>
        <translation>证书密码(&amp;p)：</translation>
    </message>
</context>
<context>
    <name>StartHandoverDialog</name>
    <message>
        <source>Start the handover</source>
        <translation>发起责任移交</translation>
    </message>
    <message numerus="yes">
        <source>Hand over %n borrower(s) of {giver} to {taker}? Headquarters records the handover as pending: the borrowers move once {giver} has signed the handover record, {taker} has countersigned it and you have completed it.</source>
        <translation>
            <numerusform>将{giver}名下的 %n 户客户移交给{taker}？总行将登记为待完成的移交：{giver}签署移交清单、{taker}会签并由您确认完成后，客户才转出。</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose the officer handing over.</source>
        <translation>请选择移交人。</translation>
    </message>
    <message>
        <source>Choose the officer taking over.</source>
        <translation>请选择接收人。</translation>
    </message>
    <message>
        <source>The officer taking over must be another officer.</source>
        <translation>接收人必须是另一名客户经理。</translation>
    </message>
    <message>
        <source>Choose at least one borrower to hand over.</source>
        <translation>请至少选择一户要移交的客户。</translation>
    </message>
    <message>
        <source>Starting the handover at headquarters…</source>
        <translation>正在总行发起责任移交…</translation>
    </message>
    <message>
        <source>The handover was not started: {error}</source>
        <translation>未能发起责任移交：{error}</translation>
    </message>
    <message>
        <source>Nothing has changed. Start it again once this laptop can reach headquarters.</source>
        <translation>未做任何更改。请在本机能连接总行后重新发起。</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <source>No officer of your team is on this laptop: sync first.</source>
        <translation>本机上没有您团队的客户经理：请先同步。</translation>
    </message>
    <message>
        <source>(being handed over already)</source>
        <translation>（已在移交中）</translation>
    </message>
    <message numerus="yes">
        <source>{chosen} of %n borrower(s) chosen</source>
        <translation>
            <numerusform>共 %n 户，已选 {chosen} 户</numerusform>
        </translation>
    </message>
    <message>
        <source>Start a handover</source>
        <translation>发起责任移交</translation>
    </message>
    <message>
        <source>Hand some or all of an officer&apos;s borrowers over to another officer of your team: their loans, open warning signals, pending inspections and unsigned visits go with them. Headquarters starts the handover now; this needs a connection.</source>
        <translation>将一名客户经理的部分或全部客户移交给团队中的另一名客户经理，其贷款、未解除的风险预警信号、待检查事项和未签署的检查记录一并移交。移交由总行立即发起，需要联网。</translation>
    </message>
    <message>
        <source>&amp;Handing over:</source>
        <translation>移交人(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Taking over:</source>
        <translation>接收人(&amp;T)：</translation>
    </message>
    <message>
        <source>Search by customer no. or name</source>
        <translation>按客户编号或名称搜索</translation>
    </message>
    <message>
        <source>Choose &amp;all shown</source>
        <translation>全选所显示的(&amp;a)</translation>
    </message>
    <message>
        <source>C&amp;lear shown</source>
        <translation>清除所显示的(&amp;l)</translation>
    </message>
    <message>
        <source>&amp;Start handover…</source>
        <translation>发起移交(&amp;S)…</translation>
    </message>
</context>
<context>
    <name>StartUp</name>
    <message>
        <source>The local database could not be upgraded to this version of the app.</source>
        <translation>本地数据库无法升级到当前版本的程序。</translation>
    </message>
    <message>
        <source>The data folder {folder} could not be opened.</source>
        <translation>无法打开数据文件夹 {folder}。</translation>
    </message>
    <message>
        <source>The local database could not be opened.</source>
        <translation>无法打开本地数据库。</translation>
    </message>
    <message>
        <source>Nothing was changed. Please contact your IT support with this message.</source>
        <translation>数据未作任何改动。请将本提示告知信息技术支持人员。</translation>
    </message>
    <message>
        <source>Cannot open the data</source>
        <translation>无法打开数据</translation>
    </message>
</context>
<context>
    <name>StartVisitDialog</name>
    <message>
        <source>Choose a base checklist.</source>
        <translation>请选择一个基础检查模板。</translation>
    </message>
    <message>
        <source>Could not load the borrower: {error}</source>
        <translation>无法加载借款人：{error}</translation>
    </message>
    <message>
        <source>The visit could not be started: {error}</source>
        <translation>无法开始检查：{error}</translation>
    </message>
    <message>
        <source>Chosen from the loans&apos; types and the industry.</source>
        <translation>已根据贷款种类和行业自动选择。</translation>
    </message>
    <message>
        <source>Changed by you.</source>
        <translation>已由您调整。</translation>
    </message>
    <message>
        <source>Start a visit — {name}</source>
        <translation>开始检查 — {name}</translation>
    </message>
    <message>
        <source>Borrower:</source>
        <translation>借款人：</translation>
    </message>
    <message>
        <source>&amp;Kind of inspection:</source>
        <translation>检查类型(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Base checklist:</source>
        <translation>基础模板(&amp;B)：</translation>
    </message>
    <message>
        <source>S&amp;upplements:</source>
        <translation>补充模板(&amp;u)：</translation>
    </message>
    <message>
        <source>&amp;Place:</source>
        <translation>检查地点(&amp;P)：</translation>
    </message>
    <message>
        <source>People &amp;met:</source>
        <translation>会见人员(&amp;m)：</translation>
    </message>
    <message>
        <source>Visit &amp;date:</source>
        <translation>检查日期(&amp;d)：</translation>
    </message>
    <message>
        <source>Start &amp;time:</source>
        <translation>开始时间(&amp;t)：</translation>
    </message>
    <message>
        <source>e.g. legal representative, finance manager</source>
        <translation>例如：法定代表人、财务负责人</translation>
    </message>
    <message>
        <source>&amp;Automatic choice</source>
        <translation>恢复自动选择(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Start visit</source>
        <translation>开始检查(&amp;S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&amp;Continue the draft</source>
        <translation>继续草稿(&amp;C)</translation>
    </message>
    <message>
        <source>A {kind} of {date} is not completed yet ({count} answers). Continue it rather than starting another?</source>
        <translation>{date} 的{kind}尚未完成（已填 {count} 项）。是否继续该草稿，而不是另行开始？</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Unsynced: {count}</source>
        <translation>未同步：{count}</translation>
    </message>
    <message numerus="yes">
        <source>%n borrower(s)</source>
        <translation>
            <numerusform>共 %Ln 户</numerusform>
        </translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
    <message>
        <source>Export cancelled: nothing was written</source>
        <translation>已取消导出：未写入任何文件</translation>
    </message>
    <message>
        <source>Signed in: {name} ({role})</source>
        <translation>当前用户：{name}（{role}）</translation>
    </message>
</context>
<context>
    <name>StatusSteps</name>
    <message>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Mark the visit of {date} as submitted for review? It can no longer be signed again.</source>
        <translation>将 {date} 的检查标记为已提交复核？提交后不能再次签署。</translation>
    </message>
    <message>
        <source>Revise the visit</source>
        <translation>修订检查</translation>
    </message>
    <message>
        <source>A new draft revision of the visit of {date} is made, with the supervisor&apos;s comments at their items. Why? (e.g. corrected as the supervisor asked)</source>
        <translation>将为 {date} 的检查创建一个新的草稿版本，主管的意见会显示在对应的检查项旁。请填写原因（例如：按主管意见修改）。</translation>
    </message>
</context>
<context>
    <name>SupervisorHome</name>
    <message>
        <source>Review queue</source>
        <translation>复核队列</translation>
    </message>
    <message>
        <source>Borrowers</source>
        <translation>借款人</translation>
    </message>
    <message>
        <source>Team dashboard</source>
        <translation>团队看板</translation>
    </message>
</context>
<context>
    <name>SyncDialog</name>
    <message>
        <source>Enter the address of the headquarters server.</source>
        <translation>请输入总行服务器的地址。</translation>
    </message>
    <message>
        <source>Enter your password and a name for this laptop.</source>
        <translation>请输入您的密码和这台电脑的名称。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Sync failed: {error}</source>
        <translation>同步失败：{error}</translation>
    </message>
    <message>
        <source>Uploading photos {done}/{total}…</source>
        <translation>正在上传照片 {done}/{total}…</translation>
    </message>
    <message>
        <source>Sending visits…</source>
        <translation>正在提交检查…</translation>
    </message>
    <message>
        <source>Receiving the team&apos;s visits for review…</source>
        <translation>正在接收团队待复核的检查…</translation>
    </message>
    <message>
        <source>Downloading their photos and reports {done}/{total}…</source>
        <translation>正在下载检查的照片和报告 {done}/{total}…</translation>
    </message>
    <message>
        <source>Downloading updates…</source>
        <translation>正在下载更新…</translation>
    </message>
    <message>
        <source>Sync complete at {time}.</source>
        <translation>{time} 同步完成。</translation>
    </message>
    <message>
        <source>The sync at {time} did not get everything through; see below.</source>
        <translation>{time} 的同步未全部完成，详见下方。</translation>
    </message>
    <message>
        <source>The server could not be reached at {time}; see below why.</source>
        <translation>无法连接服务器（{time}），原因见下方。</translation>
    </message>
    <message>
        <source>Sync cancelled at {time}.</source>
        <translation>同步已于 {time} 取消。</translation>
    </message>
    <message>
        <source>This laptop has been revoked; sync is stopped.</source>
        <translation>此电脑已被停用，同步已停止。</translation>
    </message>
    <message>
        <source>Registration did not go through at {time}; see below.</source>
        <translation>{time} 登记未成功，详见下方。</translation>
    </message>
    <message>
        <source>Sync failed at {time}; see below.</source>
        <translation>{time} 同步失败，详见下方。</translation>
    </message>
    <message>
        <source>Press Start to sync with headquarters.</source>
        <translation>点击“开始”与总行同步。</translation>
    </message>
    <message>
        <source>Updates received: {pulled}    Photos sent: {photos}    Visits sent: {visits}</source>
        <translation>已收到更新：{pulled}    已发送照片：{photos}    已发送检查：{visits}</translation>
    </message>
    <message>
        <source>Decisions headquarters did not accept: another decision stands there. Open the visit in the review queue to see it:</source>
        <translation>总行未接受的复核决定：总行已有另一决定，请在复核队列中打开该检查查看：</translation>
    </message>
    <message>
        <source>Visits in conflict with headquarters (ask your supervisor):</source>
        <translation>与总行版本冲突的检查（请联系主管处理）：</translation>
    </message>
    <message>
        <source>Sync with headquarters</source>
        <translation>与总行同步</translation>
    </message>
    <message>
        <source>Registering this laptop with {server}…</source>
        <translation>正在向 {server} 登记此电脑…</translation>
    </message>
    <message>
        <source>Connecting to {server}…</source>
        <translation>正在连接 {server}…</translation>
    </message>
    <message>
        <source>&amp;Server address:</source>
        <translation>服务器地址(&amp;S)：</translation>
    </message>
    <message>
        <source>Register this laptop</source>
        <translation>登记此电脑</translation>
    </message>
    <message>
        <source>This laptop is not registered with headquarters yet. Enter the password of {name} ({username}) once; later syncs do not ask for it.</source>
        <translation>此电脑尚未在总行登记。请输入 {name}（{username}）的密码（只需一次，以后同步不再询问）。</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Device name:</source>
        <translation>设备名称(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Cancel sync</source>
        <translation>取消同步(&amp;C)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>TeamDashboardView</name>
    <message>
        <source>migration-matrix</source>
        <translation>迁徙矩阵</translation>
    </message>
    <message>
        <source>Nothing to show</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <source>As of {today} · period {start} – {end}</source>
        <translation>数据截至 {today} · 期间 {start} 至 {end}</translation>
    </message>
    <message>
        <source>from {label}</source>
        <translation>期初 {label}</translation>
    </message>
    <message>
        <source>to
{label}</source>
        <translation>期末
{label}</translation>
    </message>
    <message>
        <source>Borrowers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>天数</translation>
    </message>
    <message>
        <source>Next inspection</source>
        <translation>下次检查日</translation>
    </message>
    <message>
        <source>Classification now</source>
        <translation>当前分类</translation>
    </message>
    <message>
        <source>Visit date</source>
        <translation>检查日期</translation>
    </message>
    <message>
        <source>Raised on</source>
        <translation>发起日期</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>期间(&amp;P)：</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>This quarter</source>
        <translation>本季度</translation>
    </message>
    <message>
        <source>Last quarter</source>
        <translation>上季度</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>本年</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Inspections due</source>
        <translation>到期检查</translation>
    </message>
    <message>
        <source>Risk signals</source>
        <translation>风险预警信号</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>风险分类</translation>
    </message>
    <message>
        <source>Workload</source>
        <translation>工作量</translation>
    </message>
    <message>
        <source>Inspections overdue and due soon, per officer</source>
        <translation>各客户经理逾期及即将到期的检查（户）</translation>
    </message>
    <message>
        <source>Open risk signals by category and severity</source>
        <translation>未解除的风险预警信号：按类别和等级</translation>
    </message>
    <message>
        <source>Open risk signals by age (days since raised)</source>
        <translation>未解除的风险预警信号：按存续时间（自发起日起天数）</translation>
    </message>
    <message>
        <source>Borrowers by classification now</source>
        <translation>当前风险分类分布（户）</translation>
    </message>
    <message>
        <source>Borrowers per officer</source>
        <translation>各客户经理管户数</translation>
    </message>
    <message>
        <source>Average days from visit to submission (period)</source>
        <translation>检查至提交平均天数（本期间）</translation>
    </message>
    <message>
        <source>Visits this month, submitted and returned in the period</source>
        <translation>本月检查次数、本期间提交及退回次数</translation>
    </message>
    <message>
        <source>&lt;b&gt;Migration matrix&lt;/b&gt;: borrowers by classification at the start of the period (rows) and at its end (columns); click a cell for its borrowers</source>
        <translation>&lt;b&gt;风险分类迁徙矩阵&lt;/b&gt;：行为期初分类，列为期末分类（户）；点击单元格查看客户</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the migration matrix of the period shown, with totals, as an Excel workbook or CSV</source>
        <translation>将当前显示期间的迁徙矩阵（含合计）保存为 Excel 工作簿或 CSV 文件</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>Due within 7 days</source>
        <translation>7天内到期</translation>
    </message>
    <message>
        <source>Due in 8–30 days</source>
        <translation>8–30天内到期</translation>
    </message>
    <message>
        <source>0–30 days</source>
        <translation>0–30天</translation>
    </message>
    <message>
        <source>31–90 days</source>
        <translation>31–90天</translation>
    </message>
    <message>
        <source>91–180 days</source>
        <translation>91–180天</translation>
    </message>
    <message>
        <source>over 180 days</source>
        <translation>180天以上</translation>
    </message>
    <message>
        <source>Visits this month</source>
        <translation>本月检查</translation>
    </message>
    <message>
        <source>Submitted in the period</source>
        <translation>本期间提交</translation>
    </message>
    <message>
        <source>Returned in the period</source>
        <translation>本期间退回</translation>
    </message>
    <message>
        <source>Inspections overdue and due soon, per team</source>
        <translation>各部门逾期及即将到期的检查（户）</translation>
    </message>
    <message>
        <source>Inspections overdue and due soon, per branch</source>
        <translation>各支行逾期及即将到期的检查（户）</translation>
    </message>
    <message>
        <source>Borrowers per team</source>
        <translation>各部门管户数</translation>
    </message>
    <message>
        <source>Borrowers per branch</source>
        <translation>各支行管户数</translation>
    </message>
    <message>
        <source>(unassigned)</source>
        <translation>（未分配）</translation>
    </message>
    <message>
        <source>(no team)</source>
        <translation>（无部门）</translation>
    </message>
    <message>
        <source>(no branch)</source>
        <translation>（无支行）</translation>
    </message>
    <message>
        <source>The figures could not be read: {error}</source>
        <translation>无法读取看板数据：{error}</translation>
    </message>
</context>
<context>
    <name>TemplatesDialog</name>
    <message>
        <source>Choose exactly one base template.</source>
        <translation>请恰好选择一个基础模板。</translation>
    </message>
    <message>
        <source>Checklist templates</source>
        <translation>检查模板</translation>
    </message>
    <message>
        <source>The checklist of this visit is made of one base template and any supplements. Choose the ones to use:</source>
        <translation>本次检查的清单由一个基础模板和若干补充模板组成。请选择要使用的模板：</translation>
    </message>
    <message>
        <source>base template</source>
        <translation>基础模板</translation>
    </message>
</context>
<context>
    <name>TriStateCombo</name>
    <message>
        <source>Not checked</source>
        <translation>未核实</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>VisitEditor</name>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>All changes saved</source>
        <translation>所有修改均已保存</translation>
    </message>
    <message>
        <source>Signed visit: read only</source>
        <translation>检查已签署：只读</translation>
    </message>
    <message>
        <source>The visit could not be opened: {error}</source>
        <translation>无法打开该检查：{error}</translation>
    </message>
    <message>
        <source>An abnormal answer still needs its note or photo</source>
        <translation>有异常答案尚缺说明或照片</translation>
    </message>
    <message>
        <source>Opening the visit…</source>
        <translation>正在打开检查…</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>{borrower} — {kind}</source>
        <translation>{borrower} — {kind}</translation>
    </message>
    <message>
        <source>{title} (read only)</source>
        <translation>{title}（只读）</translation>
    </message>
</context>
<context>
    <name>VisitHeaderPage</name>
    <message>
        <source>Visit information</source>
        <translation>检查信息</translation>
    </message>
    <message>
        <source>place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>people met</source>
        <translation>会见人员</translation>
    </message>
    <message>
        <source>general note</source>
        <translation>总体说明</translation>
    </message>
    <message>
        <source>visit date</source>
        <translation>检查日期</translation>
    </message>
    <message>
        <source>start time</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>{title} (an earlier edition)</source>
        <translation>{title}（旧版）</translation>
    </message>
    <message>
        <source>A template no longer in use</source>
        <translation>已停用的模板</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>检查类型：</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Visit &amp;date:</source>
        <translation>检查日期(&amp;d)：</translation>
    </message>
    <message>
        <source>&amp;Start time:</source>
        <translation>开始时间(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Place:</source>
        <translation>地点(&amp;P)：</translation>
    </message>
    <message>
        <source>People &amp;met:</source>
        <translation>会见人员(&amp;m)：</translation>
    </message>
    <message>
        <source>General &amp;note:</source>
        <translation>总体说明(&amp;n)：</translation>
    </message>
    <message>
        <source>Checklist templates:</source>
        <translation>检查模板：</translation>
    </message>
    <message>
        <source>Address or site where the visit takes place</source>
        <translation>检查地址或现场位置</translation>
    </message>
    <message>
        <source>Whom you met: name and position, one per line</source>
        <translation>会见人员：姓名和职务，每行一人</translation>
    </message>
    <message>
        <source>Anything worth noting about the visit</source>
        <translation>本次检查的其他情况</translation>
    </message>
    <message>
        <source>Change templates…</source>
        <translation>更换模板…</translation>
    </message>
    <message>
        <source>Templates can only be changed before the first answer.</source>
        <translation>只能在回答第一个检查项之前更换模板。</translation>
    </message>
</context>
<context>
    <name>VisitPageParts</name>
    <message>
        <source>Something went wrong and nothing was saved. Please try again.</source>
        <translation>出现错误，未保存任何内容。请重试。</translation>
    </message>
</context>
<context>
    <name>VisitPhotosPage</name>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>The photos could not be loaded: %1</source>
        <translation>照片加载失败：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s)</source>
        <translation>
            <numerusform>共 %n 张照片</numerusform>
        </translation>
    </message>
    <message>
        <source>photo “{name}”</source>
        <translation>照片“{name}”</translation>
    </message>
    <message>
        <source>The change could not be saved.</source>
        <translation>修改未能保存。</translation>
    </message>
    <message>
        <source>Remove photo</source>
        <translation>移除照片</translation>
    </message>
    <message>
        <source>Remove “%1” from this visit?</source>
        <translation>从本次检查中移除“%1”？</translation>
    </message>
    <message>
        <source>The clipboard holds no photo or file to add.</source>
        <translation>剪贴板中没有可添加的照片或文件。</translation>
    </message>
    <message>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Drop photos or folders here, or paste with Ctrl+V.</source>
        <translation>可将照片或文件夹拖到此处，或按 Ctrl+V 粘贴。</translation>
    </message>
</context>
<context>
    <name>WindowTools</name>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Certificate…</source>
        <translation>证书设置(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Handovers…</source>
        <translation>责任移交(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;Audit trail…</source>
        <translation>审计日志(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Bank dashboard…</source>
        <translation>全行看板(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Sync…</source>
        <translation>同步(&amp;S)…</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Send your visits and photos to headquarters and receive its updates</source>
        <translation>把检查和照片发送到总行，并接收总行的更新</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>工具栏</translation>
    </message>
</context>
<context>
    <name>WorkFilterBar</name>
    <message>
        <source>&amp;Due:</source>
        <translation>到期检查(&amp;D)：</translation>
    </message>
    <message>
        <source>Any inspection</source>
        <translation>全部检查类型</translation>
    </message>
    <message>
        <source>C&amp;lassification:</source>
        <translation>风险分类(&amp;l)：</translation>
    </message>
    <message>
        <source>Any classification</source>
        <translation>全部分类</translation>
    </message>
    <message>
        <source>With open &amp;signals</source>
        <translation>有未解除预警(&amp;s)</translation>
    </message>
    <message>
        <source>Only borrowers whose next inspection is of this kind</source>
        <translation>只显示下次检查为该类型的借款人</translation>
    </message>
    <message>
        <source>Only borrowers with risk warning signals not yet cleared</source>
        <translation>只显示有尚未解除的风险预警信号的借款人</translation>
    </message>
    <message>
        <source>Awaiting &amp;review</source>
        <translation>待复核(&amp;r)</translation>
    </message>
    <message>
        <source>Only borrowers with a submitted visit no supervisor has approved or returned yet</source>
        <translation>只显示有已提交、尚未经主管认定或退回的检查的客户</translation>
    </message>
</context>
</TS>
