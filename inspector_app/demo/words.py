"""Word lists, number formats and checklist answers for the demo portfolio (all invented; any
likeness to a real company or person is chance).

Kept apart from the builders so they read as a story and this file as a phrase book. The
identity numbers carry valid check characters (GB 32100-2015 for the unified social credit
code, GB 11643 for the ID card) so a field validator added later will accept them.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from inspector_app.domain.checklist import AnswerValue, Item
from inspector_app.domain.enums import AnswerType, CollateralKind, Industry
from inspector_app.domain.fund_recipient import Recipient

# (province, city, district, 6-digit administrative code) — the code opens credit codes and
# ID card numbers, so both agree with the address.
PLACES: tuple[tuple[str, str, str, str], ...] = (
    ("江苏省", "苏州市", "吴中区", "320506"),
    ("江苏省", "苏州市", "相城区", "320507"),
    ("江苏省", "无锡市", "惠山区", "320206"),
    ("江苏省", "常州市", "武进区", "320412"),
    ("江苏省", "南通市", "海门区", "320614"),
    ("江苏省", "南京市", "江宁区", "320115"),
    ("江苏省", "扬州市", "江都区", "321012"),
    ("江苏省", "泰州市", "海陵区", "321202"),
    ("浙江省", "宁波市", "鄞州区", "330212"),
    ("浙江省", "绍兴市", "柯桥区", "330603"),
    ("浙江省", "嘉兴市", "南湖区", "330402"),
    ("浙江省", "湖州市", "吴兴区", "330502"),
    ("浙江省", "台州市", "椒江区", "331002"),
    ("浙江省", "杭州市", "萧山区", "330109"),
)

STREETS = (
    "人民路", "建设路", "解放东路", "中山北路", "长江路", "太湖大道", "工业园区创业路",
    "经济开发区兴业路", "滨江大道", "东环路", "金桥路", "科技园区纬三路", "港口路", "渔港路",
    "农贸市场路", "新华街", "府前街", "高新区锦绣路", "物流园区通达路", "临港大道",
)  # fmt: skip

# Two-character trade names (字号); combined at random for the --scale portfolio.
BRANDS = (
    "恒达", "德炎", "华腾", "鑫源", "宏泰", "瑞丰", "金桥", "永盛", "新锐", "天润", "博远",
    "联创", "远航", "景程", "汇通", "振兴", "嘉禾", "盛世", "丰泽", "明辉", "凯越", "泓宇",
    "锦程", "裕隆", "通泰", "广源", "润泽", "德信", "正和", "安捷", "华茂", "东升", "瑞祥",
    "海纳", "顺昌", "宝丰", "佳诚", "同益", "鼎盛", "兴隆",
)  # fmt: skip
BRAND_CHARS = "恒达华腾鑫源宏泰瑞丰金桥永盛新锐天润博远联创航景程汇通振兴嘉禾世泽明辉凯越泓宇锦裕隆广德信正和安捷茂东升祥海纳顺昌宝佳诚同益鼎"  # noqa: E501

# What a company of each industry calls itself, after the place and trade name.
BUSINESS_WORDS: dict[Industry, tuple[str, ...]] = {
    Industry.MANUFACTURING: (
        "精密机械", "纺织印染", "电子科技", "五金制品", "汽车零部件", "新材料科技",
        "包装材料", "食品加工", "模具制造", "电机",
    ),
    Industry.REAL_ESTATE: ("房地产开发", "置业", "置地发展", "城市建设开发"),
    Industry.INFRASTRUCTURE: (
        "交通建设投资", "高速公路管理", "水务", "燃气", "通信工程", "港务",
    ),
    Industry.WHOLESALE_TRADE: (
        "水产贸易", "粮油贸易", "钢材贸易", "建材贸易", "医药商贸", "农产品批发",
    ),
    Industry.AGRICULTURE: ("农业开发", "生态农业", "畜牧养殖", "茶业", "苗木种植"),
    Industry.SERVICES: ("物流", "酒店管理", "餐饮管理", "仓储服务", "健康管理"),
    Industry.OTHER: ("文化传媒", "环保科技", "信息咨询", "教育科技"),
}  # fmt: skip

COMPANY_SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")

# 个体工商户: what the owner's business is, for the loan purpose.
PERSONAL_BUSINESSES: dict[Industry, tuple[str, ...]] = {
    Industry.WHOLESALE_TRADE: ("五金建材店", "水产批发档口", "粮油副食批发部", "服装批发店"),
    Industry.SERVICES: ("农家乐", "汽车修理厂", "快递网点", "小型超市"),
    Industry.AGRICULTURE: ("葡萄种植园", "水产养殖塘", "家庭农场"),
    Industry.MANUFACTURING: ("家具加工作坊", "服装加工厂"),
    Industry.OTHER: ("广告制作店", "印刷门市部"),
}  # fmt: skip

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹曾彭蔡潘田董袁于余叶蒋杜"
    "苏魏程吕丁沈任姚卢钟姜崔谭廖范汪陆金石戴贾夏邱方侯邹熊孟秦白江薛尹段雷史龙陶贺顾毛郝"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志文辉新春兰海燕红梅德荣永林玉宏"
    "斌宁云鹏飞俊峰晓东浩宇欣怡佳琪子涵思远嘉诚"
)

RELATIONS_COMPANY = ("关联企业", "股东单位", "上游供应商")
RELATIONS_PERSON = ("实际控制人", "法定代表人", "股东")

GUARANTEE_COMPANIES = (
    "融信融资担保有限公司", "中小企业融资担保有限公司", "农业信贷融资担保有限公司",
)  # fmt: skip


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN_CHARS)
    if rng.random() < 0.7:
        given += rng.choice(GIVEN_CHARS)
    return rng.choice(SURNAMES) + given


def company_name(rng: random.Random, industry: Industry, brand: str | None = None) -> str:
    """E.g. 江苏恒达精密机械有限公司 or 宁波瑞丰水产贸易有限公司."""
    province, city, _district, _code = rng.choice(PLACES)
    place = province.removesuffix("省") if rng.random() < 0.4 else city.removesuffix("市")
    brand = brand or rng.choice(BRANDS)
    return place + brand + rng.choice(BUSINESS_WORDS[industry]) + rng.choice(COMPANY_SUFFIXES)


def scale_brand(rng: random.Random) -> str:
    """A trade name from a larger space than BRANDS, for tens of thousands of companies."""
    return "".join(rng.sample(BRAND_CHARS, 2))


def address(rng: random.Random) -> tuple[str, str]:
    """A street address and the administrative code of its district."""
    province, city, district, code = rng.choice(PLACES)
    return f"{province}{city}{district}{rng.choice(STREETS)}{rng.randint(1, 999)}号", code


def city_of(address: str) -> str:
    """The city an address from address() is in."""
    return next(city for province, city, _d, _c in PLACES if address.startswith(province + city))


def phone(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"
    return f"0{rng.choice(('512', '510', '519', '574', '575', '573'))}-{rng.randint(5, 8)}" + (
        f"{rng.randint(0, 9_999_999):07d}"
    )


# --- identity numbers ----------------------------------------------------------------------

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def credit_code(rng: random.Random, region: str) -> str:
    """An 18-character 统一社会信用代码 with valid organisation-code and final check characters."""
    body = "".join(str(rng.randint(0, 9)) for _ in range(8))
    org_check = 11 - sum(int(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    org = body + {10: "X", 11: "0"}.get(org_check, str(org_check))
    head = "91" + region + org  # 9: registered by market regulation, 1: an enterprise
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(head, _USCC_WEIGHTS, strict=True))
    return head + _USCC_CHARS[(31 - total % 31) % 31]


def id_card_number(rng: random.Random, region: str, born: date) -> str:
    """An 18-digit resident ID number (GB 11643) with a valid check character."""
    head = f"{region}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    total = sum(int(c) * w for c, w in zip(head, _ID_WEIGHTS, strict=True))
    return head + "10X98765432"[total % 11]


def title_deed(rng: random.Random, year: int, city: str) -> str:
    """A 不动产权证书 number, e.g. 苏(2023)苏州市不动产权第0123456号."""
    short = "苏" if city in {p[1] for p in PLACES if p[0] == "江苏省"} else "浙"
    return f"{short}({year}){city}不动产权第{rng.randint(1, 9_999_999):07d}号"


# --- collateral ----------------------------------------------------------------------------

# (description with {n}, range of n, appraised value range in yuan)
COLLATERAL: dict[CollateralKind, tuple[tuple[str, tuple[int, int], tuple[int, int]], ...]] = {
    CollateralKind.PROPERTY: (
        ("工业厂房及所占土地使用权（建筑面积约{n}平方米）", (3_000, 40_000),
         (8_000_000, 60_000_000)),
        ("住宅一套（建筑面积{n}平方米）", (90, 220), (1_500_000, 6_000_000)),
        ("商业用房（沿街商铺，建筑面积{n}平方米）", (80, 900), (2_000_000, 12_000_000)),
    ),
    CollateralKind.EQUIPMENT: (
        ("数控加工中心{n}台", (4, 30), (3_000_000, 15_000_000)),
        ("喷气织机{n}台及配套设备", (40, 200), (2_000_000, 9_000_000)),
        ("注塑成型机{n}台", (6, 40), (1_000_000, 6_000_000)),
    ),
    CollateralKind.WAREHOUSE_STOCK: (
        ("冷冻水产品（带鱼、鱿鱼等）约{n}吨，存放于监管冷库", (150, 900),
         (3_000_000, 12_000_000)),
        ("热轧卷板约{n}吨，存放于第三方监管仓库", (1_000, 5_000), (5_000_000, 20_000_000)),
        ("小麦、稻谷等粮食约{n}吨", (1_000, 4_000), (2_000_000, 8_000_000)),
    ),
    CollateralKind.RECEIVABLES: (
        ("对下游客户的应收账款（{n}家客户）", (3, 25), (3_000_000, 20_000_000)),
        ("工程款应收账款（{n}份施工合同项下）", (2, 8), (5_000_000, 30_000_000)),
    ),
    CollateralKind.DEPOSIT_PLEDGE: (
        ("本行一年期定期存单{n}张", (1, 3), (1_000_000, 10_000_000)),
    ),
}  # fmt: skip
# Loan-to-value the bank accepts by kind (the pledged value is this share of the appraisal).
PLEDGE_RATES: dict[CollateralKind, tuple[float, float]] = {
    CollateralKind.PROPERTY: (0.5, 0.7),
    CollateralKind.EQUIPMENT: (0.3, 0.5),
    CollateralKind.WAREHOUSE_STOCK: (0.4, 0.6),
    CollateralKind.RECEIVABLES: (0.5, 0.7),
    CollateralKind.DEPOSIT_PLEDGE: (0.9, 0.95),
}
# Which collateral a borrower of each industry typically offers, first choice first.
INDUSTRY_COLLATERAL: dict[Industry, tuple[CollateralKind, ...]] = {
    Industry.MANUFACTURING: (CollateralKind.PROPERTY, CollateralKind.EQUIPMENT),
    Industry.REAL_ESTATE: (CollateralKind.PROPERTY, CollateralKind.DEPOSIT_PLEDGE),
    Industry.INFRASTRUCTURE: (CollateralKind.RECEIVABLES, CollateralKind.PROPERTY),
    Industry.WHOLESALE_TRADE: (CollateralKind.WAREHOUSE_STOCK, CollateralKind.RECEIVABLES),
    Industry.AGRICULTURE: (CollateralKind.PROPERTY, CollateralKind.WAREHOUSE_STOCK),
    Industry.SERVICES: (CollateralKind.PROPERTY, CollateralKind.DEPOSIT_PLEDGE),
    Industry.OTHER: (CollateralKind.DEPOSIT_PLEDGE, CollateralKind.PROPERTY),
}

# --- loans ---------------------------------------------------------------------------------

LOAN_PURPOSES = {
    "working_capital": ("采购原材料", "支付货款", "日常经营周转", "采购库存商品"),
    "fixed_asset": ("新建厂房及购置生产线", "项目建设", "技术改造", "收费公路扩建工程"),
    "personal_business": ("经营周转", "店铺进货", "购置经营设备"),
}
CONTRACT_ABBREV = {"working_capital": "流借", "fixed_asset": "固借", "personal_business": "个经借"}

# --- visits --------------------------------------------------------------------------------

FINANCE_TITLES = ("财务负责人", "财务经理", "会计", "出纳")
OTHER_STAFF = ("生产厂长", "仓库保管员", "销售经理", "项目经理", "办公室主任")

GENERAL_NOTES = (
    "企业生产经营正常，厂区整洁，主要设备运转正常，员工在岗情况良好。",
    "借款人经营稳定，上下游合作关系未见变化，本行账户资金往来正常。",
    "现场抽查库存与账面基本相符，近三个月水电费缴纳正常。",
    "借款人配合检查，提供的财务报表与银行流水基本吻合。",
)
# The general note of a visit that found warning signs.
WATCH_NOTES = (
    "现场发现借款人经营出现异常迹象，详见异常检查项说明，已按规定发起预警。",
    "借款人近期经营和财务状况有所恶化，需提高检查频率并持续跟踪。",
)
MEASURES_NORMAL = (
    "维持现有授信，按常规频率开展贷后检查。",
    "继续关注借款人销售回款归集情况，按期检查。",
)
MEASURES_WATCH = (
    "提高检查频率，每月监测账户资金流水；要求借款人补充提供近期财务报表。",
    "约谈实际控制人，要求追加保证担保；暂停新增授信，密切关注诉讼进展。",
    "压降授信敞口，督促借款人加快销售回款；必要时启动清收预案。",
)
# Notes an officer writes on an abnormal answer, by signal category code.
ABNORMAL_NOTES = {
    "financial": "近两期报表显示营业收入明显下滑，经营性现金流为负，已要求补充说明。",
    "operational": "现场部分生产线停工，订单较去年同期减少，库存积压较多。",
    "governance": "据财务人员介绍，股东之间对经营方向存在分歧，近期更换了财务负责人。",
    "collateral": "抵押物周边同类资产成交价格明显下降，估值较评估值下跌较多。",
    "behaviour": "本月贷款利息延迟5天支付，征信显示他行新增关注类贷款。",
    "external": "经查询裁判文书网，借款人涉及供应商货款纠纷诉讼，标的约300万元。",
}
# Signals an officer raises from outside a visit: (category, severity, title, description).
OFFICER_SIGNALS = (
    ("external", "red", "媒体报道借款人实际控制人被限制出境", "当地新闻报道，已电话核实。"),
    ("financial", "orange", "本行账户出现大额资金快进快出", "单日转入转出均超过500万元。"),
    ("behaviour", "yellow", "借款人电话多次无人接听", "连续三个工作日联系实际控制人未果。"),
)
SIGNAL_STEP_REASONS = {
    "raised": "检查中发现，已记录。",
    "handled": "已约谈借款人实际控制人，要求书面说明并制定整改措施。",
    "monitored": "借款人已落实部分整改，转入持续监测，按月跟踪。",
    "cleared": "风险因素已消除，经复核同意解除预警。",
}
RETURN_REASONS = (
    "检查记录中抵押物照片不全，请补充后重新提交。",
    "分类调整理由不充分，请补充借款人近期财务数据。",
)

# Realistic values (low, high) for numeric items the shipped templates ask; an item not listed
# gets a generic value inside its normal range, so new template items still work.
NUMBER_RANGES: dict[str, tuple[int, int]] = {
    "FA-PRG-01": (30, 95),
    "FA-CAP-01": (100, 100),
    "INF-01": (8_000, 30_000),
    "INF-02": (-8, 12),
    "INF-04": (85, 115),
    "MFG-01": (-10, 25),
    "MFG-04": (60, 92),
    "MFG-06": (-15, 20),
    "RE-01": (35, 85),
    "RE-02": (-10, 5),
    "WHS-01": (30, 90),
    "WHS-04": (30, 100),
    "WHS-05": (2, 15),
    "R-ABL-02": (-12, 25),
    "R-ABL-05": (40, 72),
}
# Money items in yuan (low, high).
MONEY_RANGES: dict[str, tuple[int, int]] = {
    "FA-BUD-02": (0, 0),
    "INF-03": (8_000_000, 30_000_000),
    "RE-03": (10_000_000, 80_000_000),
    "WHS-06": (2_000_000, 15_000_000),
    "R-ABL-03": (500_000, 20_000_000),
    "R-ABL-06": (10_000_000, 200_000_000),
}
TEXT_ANSWERS: dict[str, str] = {
    "F-APR-02": "审批条件均已落实。",
    "R-CHR-04": "约见{rep}及{finance}，介绍近期订单饱满、回款正常；经营者为人踏实，口碑良好。",
}
# Who the demo's loan funds went to (the fund-flow items): ordinary suppliers, each named by
# few borrowers.
SUPPLIERS = ("江苏华储物资贸易有限公司", "苏州恒远钢材销售有限公司", "无锡中兴建材有限公司",
             "南通海丰饲料有限公司", "常州金源机电设备有限公司", "扬州润达化工原料有限公司")
GENERIC_TEXT = "经现场核实，情况正常，与上次检查相比无重大变化。"


def normal_answer(
    rng: random.Random,
    item: Item,
    *,
    visit_date: date,
    loan: dict[str, Any],
    has_guarantors: bool,
    rep: str,
    finance: str,
) -> AnswerValue:
    """A plausible answer the item's template counts as normal."""
    rule = item.abnormal
    match item.type:
        case AnswerType.YES_NO:
            if item.code in ("R-GUA-01", "R-GUA-02", "F-SEC-05") and not has_guarantors:
                return "na"
            return next(v for v in ("yes", "no", "na") if v not in rule.values)
        case AnswerType.CHOICE:
            normal = [c.code for c in item.choices if c.code not in rule.values]
            return normal[0] if rng.random() < 0.7 else rng.choice(normal[:2])
        case AnswerType.NUMBER:
            low, high = NUMBER_RANGES.get(item.code, (1, 100))
            return Decimal(_within(rng, low, high, rule.below, rule.above))
        case AnswerType.MONEY:
            if item.code == "F-USE-03":  # the part of the loan used so far
                amount = loan["amount_fen"] // 100
                low, high = amount * 6 // 10, amount
            else:
                low, high = MONEY_RANGES.get(item.code, (500_000, 20_000_000))
            hundreds = _within(rng, low // 100, high // 100, _hundreds(rule.below),
                               _hundreds(rule.above))  # fmt: skip
            return Decimal(hundreds * 100)
        case AnswerType.DATE:
            if item.code == "F-PAY-03":  # funds reached the payee
                disbursed_on: date = loan["disbursed_on"]
                return min(visit_date, disbursed_on + timedelta(days=rng.randint(0, 3)))
            if item.code == "FA-PRG-04":  # expected completion
                return visit_date + timedelta(days=rng.randint(200, 700))
            # Financial statements: the end of the month before the visit.
            return visit_date.replace(day=1) - timedelta(days=1)
        case AnswerType.RECIPIENT:
            # The supplier the funds paid, picked without the generator: drawing from rng
            # here would change every demo portfolio made before the item existed.
            supplier = SUPPLIERS[sum(map(ord, str(loan["contract_no"]))) % len(SUPPLIERS)]
            return Recipient(supplier).stored()
    return TEXT_ANSWERS.get(item.code, GENERIC_TEXT).format(rep=rep, finance=finance)


def abnormal_answer(rng: random.Random, item: Item) -> AnswerValue:
    """An answer the item's template counts as abnormal (so it raises the item's signal)."""
    rule = item.abnormal
    if item.type is AnswerType.YES_NO:
        return next(v for v in ("no", "yes", "na") if v in rule.values)
    if item.type is AnswerType.CHOICE:
        return next(c.code for c in item.choices if c.code in rule.values)
    if rule.below is not None:
        return Decimal(math.floor(rule.below) - rng.randint(5, 15))
    if rule.above is not None:
        return Decimal(math.ceil(rule.above) + rng.randint(5, 30))
    raise ValueError(f"{item.code} has no abnormal answer")


def _within(
    rng: random.Random, low: int, high: int, below: Decimal | None, above: Decimal | None
) -> int:
    """A whole number in [low, high] moved inside the item's normal range (bounds are strict:
    `below` itself is normal)."""
    if below is not None:
        floor_ = math.ceil(below)
        low, high = max(low, floor_), max(high, floor_)
    if above is not None:
        ceiling = math.floor(above)
        low, high = min(low, ceiling), min(high, ceiling)
    return rng.randint(low, high)


def _hundreds(bound: Decimal | None) -> Decimal | None:
    return None if bound is None else bound / 100
