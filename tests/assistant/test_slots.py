from __future__ import annotations

import datetime as dt

import pytest

from assistant.slots import SlotExtractor, Slots, normalize
from tests.assistant.conftest import TODAY


def ext(extractor: SlotExtractor, text: str) -> Slots:
    return extractor.extract(text, today=TODAY)


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("我35岁", 35),
        ("本人今年35周岁，想买保险", 35),
        ("三十五岁，男", 35),
        ("我今年三十", 30),
        ("今年28了，想存点钱", 28),
        ("I'm 35", 35),
        ("I am 42 and married", 42),
        ("im 29 looking for insurance", 29),
        ("35 years old, non-smoker", 35),
        ("I'm a 40-year-old teacher", 40),
        ("age: 51", 51),
        ("我35岁，孩子5岁", 35),  # the child's age is not the user's
        ("My daughter is 6 and I'm 38", 38),
    ],
)
def test_age(extractor: SlotExtractor, text: str, age: int) -> None:
    assert ext(extractor, text).age == age


@pytest.mark.parametrize(
    "text",
    [
        "孩子5岁了",
        "my son is 7",
        "我想买重疾险",
        "2026年的保费",
        "预算30万",
        "I'm looking for insurance",
        "I have 3 kids",
    ],
)
def test_no_user_age_when_none_is_said(extractor: SlotExtractor, text: str) -> None:
    assert ext(extractor, text).age is None


@pytest.mark.parametrize(
    ("text", "income", "period"),
    [
        ("年薪40万", 400_000, "year"),
        ("年收入大概30万左右", 300_000, "year"),
        ("年入四十万", 400_000, "year"),
        ("收入3w", 30_000, "year"),
        ("月薪2万", 240_000, "month"),  # monthly income is stored annual (×12)
        ("每个月工资八千", 96_000, "month"),
        ("月收入1万5", 180_000, "month"),
        ("I make 80k a year", 80_000, "year"),
        ("my annual income is 1.2 million", 1_200_000, "year"),
        ("salary is 20k a month", 240_000, "month"),
        ("I earn $5,000 per month", 60_000, "month"),
        ("income around 300,000 yuan", 300_000, "year"),
    ],
)
def test_income_is_annual(extractor: SlotExtractor, text: str, income: float, period: str) -> None:
    slots = ext(extractor, text)
    assert slots.annual_income == pytest.approx(income)
    assert slots.income_period == period


@pytest.mark.parametrize(
    ("text", "budget"),
    [
        ("预算5000", 5000),
        ("保费预算每年五千", 5000),
        ("预算一万五", 15000),
        ("budget of 2,000 yuan", 2000),
        ("my budget is 3k", 3000),
        ("I can afford about 500 dollars", 500),
        ("how should I split a 500k budget across channels", None),  # amount before the keyword
    ],
)
def test_budget(extractor: SlotExtractor, text: str, budget: float | None) -> None:
    slots = ext(extractor, text)
    if budget is None:
        assert slots.amounts and slots.amounts[0].value == 500_000
    else:
        assert slots.budget == pytest.approx(budget)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("30万", 300_000),
        ("3w", 30_000),
        ("80k", 80_000),
        ("1.2 million", 1_200_000),
        ("五千块", 5_000),
        ("两千五百元", 2_500),
        ("¥12,999", 12_999),
        ("plan for allocating 1.5M across 5 channels", 1_500_000),
        ("3万5", 35_000),
    ],
)
def test_amounts_with_units(extractor: SlotExtractor, text: str, value: float) -> None:
    assert [a.value for a in ext(extractor, text).amounts] == [pytest.approx(value)]


@pytest.mark.parametrize(
    "text", ["我35岁", "2026-10-01", "第3季度", "Q3", "两个孩子", "近7天", "买了3份保险", "I have 2 kids", "in 2025"]
)
def test_numbers_that_are_not_amounts(extractor: SlotExtractor, text: str) -> None:
    assert ext(extractor, text).amounts == ()


@pytest.mark.parametrize(
    ("text", "count", "ages"),
    [
        ("两个孩子，一个3岁一个7岁", 2, (3, 7)),
        ("我有一个女儿，今年5岁", 1, (5,)),
        ("一儿一女", 2, ()),
        ("孩子3岁和7岁", 2, (3, 7)),
        ("a 5-year-old daughter", 1, (5,)),
        ("I have two kids aged 3 and 7", 2, (3, 7)),
        ("my son is 7", 1, (7,)),
        ("married with three children", 3, ()),
        ("没有孩子", 0, ()),
        ("no kids yet", 0, ()),
    ],
)
def test_children(extractor: SlotExtractor, text: str, count: int, ages: tuple[int, ...]) -> None:
    slots = ext(extractor, text)
    assert slots.children_count == count
    assert slots.children_ages == ages


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("我已婚", "married"),
        ("我和老婆都35岁", "married"),
        ("单身，没结婚", "single"),
        ("还没结婚", "single"),
        ("离异带一个孩子", "divorced"),
        ("I'm married", "married"),
        ("my wife and I", "married"),
        ("I'm single", "single"),
        ("not married yet", "single"),
    ],
)
def test_marital_status(extractor: SlotExtractor, text: str, status: str) -> None:
    assert ext(extractor, text).marital_status == status


@pytest.mark.parametrize(
    ("text", "parents_age"),
    [("父母60多岁", 60), ("爸妈都65岁了", 65), ("my parents are 70", 70), ("my parents are in their 60s", 60)],
)
def test_elderly_parents(extractor: SlotExtractor, text: str, parents_age: int) -> None:
    slots = ext(extractor, text)
    assert slots.parents_age == parents_age
    assert slots.elderly_parents is True
    assert slots.age is None


@pytest.mark.parametrize("text", ["上有老下有小", "需要赡养老人", "I support my elderly parents"])
def test_elderly_parents_without_age(extractor: SlotExtractor, text: str) -> None:
    assert ext(extractor, text).elderly_parents is True


@pytest.mark.parametrize(
    ("text", "occupation"),
    [
        ("我是老师", "teacher"),
        ("我在医院当护士", "nurse"),
        ("在上海做程序员", "programmer"),
        ("本人公务员", "civil_servant"),
        ("我是外卖骑手", "delivery_rider"),
        ("我已经退休了", "retired"),
        ("I'm a software engineer", "programmer"),
        ("I work as a nurse", "nurse"),
        ("I am a doctor in Shenzhen", "doctor"),
        ("I'm retired", "retired"),
    ],
)
def test_occupation(extractor: SlotExtractor, text: str, occupation: str) -> None:
    assert ext(extractor, text).occupation == occupation


@pytest.mark.parametrize("text", ["我想学会计", "courses for teachers", "推荐一个老师讲的课"])
def test_occupation_words_that_are_not_the_users_job(extractor: SlotExtractor, text: str) -> None:
    assert ext(extractor, text).occupation is None


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("我在上海", "shanghai"),
        ("坐标北京", "beijing"),
        ("深圳有什么好的医疗险", "shenzhen"),
        ("I live in Guangzhou", "guangzhou"),
        ("based in Xi'an", "xian"),
        ("moving to hong kong", "hong_kong"),
        ("成都的车险", "chengdu"),
    ],
)
def test_city(extractor: SlotExtractor, text: str, city: str) -> None:
    assert ext(extractor, text).city == city


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("我比较保守", "conservative"),
        ("不想亏钱", "conservative"),
        ("我是稳健型的", "moderate"),
        ("我能接受高风险高收益", "aggressive"),
        ("风格比较激进", "aggressive"),
        ("我不激进", "conservative"),
        ("I'm quite conservative", "conservative"),
        ("I don't want to lose money", "conservative"),
        ("a moderate risk profile", "moderate"),
        ("I can take risks", "aggressive"),
        ("I'm an aggressive investor", "aggressive"),
    ],
)
def test_risk_hint(extractor: SlotExtractor, text: str, hint: str) -> None:
    assert ext(extractor, text).risk_hint == hint


@pytest.mark.parametrize(
    ("text", "types"),
    [
        ("想给孩子买重疾", ("critical_illness",)),
        ("百万医疗险和意外险哪个先买", ("medical", "accident")),
        ("定期寿险还是终身寿险", ("term_life", "whole_life")),
        ("寿险有必要吗", ("term_life", "whole_life")),
        ("车险快到期了", ("car_insurance",)),
        ("年金险靠谱吗", ("annuity",)),
        ("少儿保险推荐", ("children",)),
        ("critical illness cover for my wife", ("critical_illness",)),
        ("is medical insurance worth it", ("medical",)),
        ("term life vs whole life", ("term_life", "whole_life")),
        ("accident insurance for travel", ("accident",)),
        ("car insurance quote", ("car_insurance",)),
        ("an annuity for retirement", ("annuity",)),
        ("children's insurance", ("children",)),
    ],
)
def test_insurance_types(extractor: SlotExtractor, text: str, types: tuple[str, ...]) -> None:
    slots = ext(extractor, text)
    assert slots.insurance_types == types
    assert slots.product_type == "insurance"


@pytest.mark.parametrize(
    ("text", "product", "finance"),
    [
        ("有什么理财产品", "finance", ()),
        ("指数基金和定期存款", "finance", ("index_fund", "deposit")),
        ("国债安全吗", "finance", ("bond",)),
        ("买车想办车贷", "finance", ("auto_loan",)),
        ("融资租赁买车划算吗", "finance", ("lease",)),
        ("should I buy an index fund or bonds", "finance", ("index_fund", "bond")),
        ("car loan or lease?", "finance", ("auto_loan", "lease")),
        ("fixed deposit rates", "finance", ("deposit",)),
        ("推荐几门课程", "course", ()),
        ("any good courses?", "course", ()),
        ("我想买保险", "insurance", ()),
    ],
)
def test_product_and_finance_type(extractor: SlotExtractor, text: str, product: str, finance: tuple[str, ...]) -> None:
    slots = ext(extractor, text)
    assert slots.product_type == product
    assert slots.finance_types == finance


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("想学Python和Excel", ("python", "excel")),
        ("雅思课程", ("ielts",)),
        ("有没有育儿的课", ("parenting",)),
        ("摄影入门", ("photography",)),
        ("想学投资理财", ("investing",)),
        ("IELTS courses", ("ielts",)),
        ("learn photography and english", ("photography", "english")),
        ("a course on investing", ("investing",)),
        ("parenting tips", ("parenting",)),
    ],
)
def test_course_topics(extractor: SlotExtractor, text: str, topics: tuple[str, ...]) -> None:
    assert ext(extractor, text).topics == topics


@pytest.mark.parametrize(
    ("text", "campaign"),
    [
        ("campaign spring_promo conversion", "spring_promo"),
        ("campaign: summer2026", "summer2026"),
        ("funnel for spring_promo by channel", "spring_promo"),
        ("活动 双十一 的转化", "double11"),
        ("双11活动的转化率", "double11"),
        ("看下“家庭保障计划”campaign各个环节的流失", "家庭保障计划"),
        ("what was the conversion rate of the spring campaign", "spring"),
        ("show me the funnel for the family protection campaign", "family_protection"),
        ("summary of black friday campaign metrics", "black_friday"),
    ],
)
def test_campaign(extractor: SlotExtractor, text: str, campaign: str) -> None:
    assert ext(extractor, text).campaign == campaign


@pytest.mark.parametrize("text", ["how are our campaigns doing", "我想买保险", "campaign performance last week"])
def test_no_campaign_name(extractor: SlotExtractor, text: str) -> None:
    assert ext(extractor, text).campaign is None


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("短信渠道的转化率", "sms"),
        ("微信公众号来的用户", "wechat"),
        ("电话外呼效果", "phone"),
        ("app推送", "app"),
        ("邮件营销", "email"),
        ("官网流量", "web"),
        ("SMS reactivation campaign", "sms"),
        ("conversions from WeChat", "wechat"),
        ("email vs web", "email"),
    ],
)
def test_channel(extractor: SlotExtractor, text: str, channel: str) -> None:
    assert ext(extractor, text).channel == channel


def test_all_channels_in_order(extractor: SlotExtractor) -> None:
    assert ext(extractor, "compare email, sms and wechat").channels == ("email", "sms", "wechat")


D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("上个月的转化", D(2026, 10, 1), D(2026, 10, 31)),
        ("last month", D(2026, 10, 1), D(2026, 10, 31)),
        ("上周", D(2026, 11, 9), D(2026, 11, 15)),
        ("last week", D(2026, 11, 9), D(2026, 11, 15)),
        ("本周", D(2026, 11, 16), D(2026, 11, 18)),
        ("this week", D(2026, 11, 16), D(2026, 11, 18)),
        ("昨天", D(2026, 11, 17), D(2026, 11, 17)),
        ("yesterday", D(2026, 11, 17), D(2026, 11, 17)),
        ("今天", D(2026, 11, 18), D(2026, 11, 18)),
        ("本月", D(2026, 11, 1), D(2026, 11, 18)),
        ("Q3 funnel", D(2026, 7, 1), D(2026, 9, 30)),
        ("第三季度", D(2026, 7, 1), D(2026, 9, 30)),
        ("2025年第四季度", D(2025, 10, 1), D(2025, 12, 31)),
        ("Q1 2026", D(2026, 1, 1), D(2026, 3, 31)),
        ("上季度", D(2026, 7, 1), D(2026, 9, 30)),
        ("last quarter", D(2026, 7, 1), D(2026, 9, 30)),
        ("2026-10-01 to 2026-10-31", D(2026, 10, 1), D(2026, 10, 31)),
        ("from 2026/09/01 until 2026/09/15", D(2026, 9, 1), D(2026, 9, 15)),
        ("10月1日到10月31日", D(2026, 10, 1), D(2026, 10, 31)),
        ("十月一日到十月三十一日", D(2026, 10, 1), D(2026, 10, 31)),
        ("2025年12月1日至2025年12月31日", D(2025, 12, 1), D(2025, 12, 31)),
        ("Oct 1 to Oct 15", D(2026, 10, 1), D(2026, 10, 15)),
        ("last 30 days", D(2026, 10, 20), D(2026, 11, 18)),
        ("past 7 days", D(2026, 11, 12), D(2026, 11, 18)),
        ("近7天", D(2026, 11, 12), D(2026, 11, 18)),
        ("最近三十天", D(2026, 10, 20), D(2026, 11, 18)),
        ("9月的转化率", D(2026, 9, 1), D(2026, 9, 30)),
        ("give me the CAC by channel for September", D(2026, 9, 1), D(2026, 9, 30)),
        ("12月", D(2025, 12, 1), D(2025, 12, 31)),  # December has not started yet this year
        ("去年", D(2025, 1, 1), D(2025, 12, 31)),
        ("上半年", D(2026, 1, 1), D(2026, 6, 30)),
        ("2026-10-01", D(2026, 10, 1), D(2026, 10, 1)),
    ],
)
def test_date_range(extractor: SlotExtractor, text: str, start: dt.date, end: dt.date) -> None:
    date_range = ext(extractor, text).date_range
    assert date_range is not None
    assert (date_range.start, date_range.end) == (start, end)


@pytest.mark.parametrize("text", ["我今年35岁", "I may buy insurance", "我想买重疾险", "3个孩子"])
def test_no_date_range(extractor: SlotExtractor, text: str) -> None:
    assert ext(extractor, text).date_range is None


def test_relative_dates_follow_the_given_today(extractor: SlotExtractor) -> None:
    slots = extractor.extract("last month", today=dt.date(2026, 1, 10))
    assert slots.date_range is not None
    assert (slots.date_range.start, slots.date_range.end) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))


def test_a_full_profile_message_fills_the_profile(extractor: SlotExtractor) -> None:
    slots = ext(extractor, "我今年35岁，在上海做程序员，年薪40万，已婚，两个孩子，一个3岁一个7岁，父母60多岁，比较保守")
    assert slots.profile_changes() == {
        "age": 35,
        "income": 400_000,
        "occupation": "programmer",
        "city": "shanghai",
        "family": {
            "marital_status": "married",
            "children": [3, 7],
            "children_count": 2,
            "elderly_parents": True,
            "parents_age": 60,
        },
    }
    assert slots.risk_hint == "conservative"


def test_english_profile_message(extractor: SlotExtractor) -> None:
    slots = ext(extractor, "I'm 35, married with a 5-year-old daughter, I make 80k a year and live in Beijing")
    assert (slots.age, slots.annual_income, slots.marital_status, slots.children_ages, slots.city) == (
        35, 80_000, "married", (5,), "beijing",
    )  # fmt: skip


def test_filled_is_json_ready_and_omits_empty_slots(extractor: SlotExtractor) -> None:
    filled = ext(extractor, "上个月短信渠道 Q3").filled()
    assert filled["channel"] == "sms"
    assert filled["date_range"] == {"start": "2026-10-01", "end": "2026-10-31", "text": "上个月"}
    assert "age" not in filled and "topics" not in filled


def test_empty_message_has_no_slots(extractor: SlotExtractor) -> None:
    assert ext(extractor, "").filled() == {}
    assert ext(extractor, "你好").filled() == {}


def test_normalize_turns_chinese_numerals_into_digits() -> None:
    assert normalize("三十五岁，年薪四十万，百万医疗") == "35岁,年薪400000,百万医疗"


@pytest.mark.parametrize(
    ("text", "age"),
    [("保终身和保到70岁区别大吗", None), ("I'm 52, planning to retire at 60", 52), ("我是程序员 35了", 35)],
)
def test_ages_that_are_terms_not_people(extractor: SlotExtractor, text: str, age: int | None) -> None:
    assert ext(extractor, text).age == age


@pytest.mark.parametrize("text", ["给我安排一个客户经理", "我爱人是公务员"])
def test_jobs_of_others_are_not_the_users(extractor: SlotExtractor, text: str) -> None:
    assert ext(extractor, text).occupation is None
