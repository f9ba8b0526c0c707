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
