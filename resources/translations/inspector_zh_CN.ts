<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
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
</TS>
