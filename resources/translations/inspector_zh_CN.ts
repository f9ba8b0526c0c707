<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>BorrowerVisitsDialog</name>
    <message>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Mark the visit of {date} as submitted for review? It can no longer be signed again.</source>
        <translation>将 {date} 的检查标记为已提交复核？提交后不能再次签署。</translation>
    </message>
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
        <source>The report is signed and kept. SHA-256: {sha}…</source>
        <translation>报告已签署并保存。SHA-256：{sha}…</translation>
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
        <source>The visit is approved and its report countersigned. SHA-256: {sha}…</source>
        <translation>检查已认定，报告已复核签署。SHA-256：{sha}…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
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
        <source>Could not load the portfolio: {error}</source>
        <translation>无法加载客户列表：{error}</translation>
    </message>
    <message>
        <source>Unsynced: {count}</source>
        <translation>未同步：{count}</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Certificate…</source>
        <translation>证书设置(&amp;C)…</translation>
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
    <message>
        <source>Signed in: {name} ({role})</source>
        <translation>当前用户：{name}（{role}）</translation>
    </message>
    <message>
        <source>Overdue: {count}</source>
        <translation>逾期：{count}</translation>
    </message>
    <message>
        <source>Due within {days} days: {count}</source>
        <translation>{days}日内到期：{count}</translation>
    </message>
    <message numerus="yes">
        <source>%n borrower(s)</source>
        <translation>
            <numerusform>共 %n 户</numerusform>
        </translation>
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
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
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
        <source>Cancel</source>
        <translation>取消</translation>
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
        <source>Whole document</source>
        <translation>整个文件</translation>
    </message>
    <message>
        <source>Version {revision} of {revisions}</source>
        <translation>第 {revision} 版（共 {revisions} 版）</translation>
    </message>
    <message>
        <source>Part of the document</source>
        <translation>文件的一部分</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Validation data only</source>
        <translation>仅验证数据</translation>
    </message>
    <message>
        <source>Signing and form filling</source>
        <translation>签名和填写表单</translation>
    </message>
    <message>
        <source>Annotations</source>
        <translation>注释</translation>
    </message>
    <message>
        <source>Other changes</source>
        <translation>其他修改</translation>
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
        <source>Nothing was changed. Please contact your IT support with this message.</source>
        <translation>数据未作任何改动。请将本提示告知信息技术支持人员。</translation>
    </message>
    <message>
        <source>Cannot open the data</source>
        <translation>无法打开数据</translation>
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
        <source>Registering this laptop…</source>
        <translation>正在登记此电脑…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
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
        <source>Downloading updates…</source>
        <translation>正在下载更新…</translation>
    </message>
    <message>
        <source>Last sync finished at {time}.</source>
        <translation>上次同步完成于 {time}。</translation>
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
        <source>Visits in conflict with headquarters (ask your supervisor):</source>
        <translation>与总行版本冲突的检查（请联系主管处理）：</translation>
    </message>
    <message>
        <source>Sync with headquarters</source>
        <translation>与总行同步</translation>
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
</TS>
